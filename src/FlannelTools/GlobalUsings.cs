// The namespaces that many files of the module use, named once. A file's own using directives name only what is
// particular to it: System.Management.Automation (the cmdlet layer and the few types PowerShell sees), SharpPcap,
// interop, and the folders whose types only a few files need.
global using System;
global using System.Buffers.Binary;
global using System.Collections.Generic;
global using System.Collections.ObjectModel;
global using System.Globalization;
global using System.IO;
global using System.Linq;
global using System.Text;
global using System.Text.RegularExpressions;
global using System.Threading;
global using FlannelTools.Addressing;
global using FlannelTools.Capture;
global using FlannelTools.Cluster;
global using FlannelTools.Decoding;
global using FlannelTools.HostLayer;
global using FlannelTools.Json;
global using FlannelTools.Native;
global using FlannelTools.NodeTables;
