// The namespaces nearly every file of the core uses; a file names only the ones that say something about it.
global using System;
global using System.Collections.Generic;
global using System.Collections.ObjectModel;
global using System.Globalization;
global using System.Linq;
global using System.Text;
