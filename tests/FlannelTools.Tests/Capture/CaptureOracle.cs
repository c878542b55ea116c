using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using FlannelTools.Capture;

namespace FlannelTools.Tests.Capture
{
    /// <summary>One record as the tests compare it: frame number, time, lengths, link type and an MD5 of the bytes.</summary>
    public sealed record FrameRow(long Number, string Epoch, int Length, int CapturedLength, int LinkType, string Md5);

    /// <summary>The test captures (tests/data/capture, copied to the output) and tshark as the oracle.</summary>
    internal static class CaptureOracle
    {
        public static string DataPath(string name) =>
            Path.Combine(AppContext.BaseDirectory, "data", "capture", name);

        /// <summary>Every record of <paramref name="reader"/>, and the exception that ended the read early (or null).</summary>
        public static (List<FrameRow> Rows, CaptureException Error) ReadAll(ICaptureReader reader)
        {
            var rows = new List<FrameRow>();
            try
            {
                while (reader.TryReadNext(out CapturedRecord r))
                {
                    rows.Add(new FrameRow(rows.Count + 1, $"{r.Seconds}.{r.Nanoseconds:D9}", r.WireLength, r.Data.Length,
                        r.LinkType, Md5(r.Data)));
                }
                if (!reader.IsEnd)
                {
                    throw new InvalidOperationException("TryReadNext returned false for a file but IsEnd is false");
                }
                return (rows, null);
            }
            catch (CaptureException e)
            {
                return (rows, e);
            }
        }

        public static string Md5(ReadOnlySpan<byte> data)
        {
            using (var md5 = MD5.Create())
            {
                return Convert.ToHexString(md5.ComputeHash(data.ToArray())).ToLowerInvariant();
            }
        }

        /// <summary>
        /// tshark's view of the file: frame number, epoch time (empty when the record has none), lengths,
        /// the link type (LINKTYPE_ value from Wireshark's encapsulation) and the MD5 of the captured bytes.
        /// Records tshark reads before it reports a cut file are returned too.
        /// </summary>
        public static List<FrameRow> Tshark(string path, string displayFilter = null)
        {
            var args = new List<string> { "-n", "-o", "frame.generate_md5_hash:TRUE", "-r", path, "-T", "fields",
                "-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len",
                "-e", "frame.encap_type", "-e", "frame.md5_hash" };
            if (displayFilter != null)
            {
                args.Add("-Y");
                args.Add(displayFilter);
            }
            var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }
            Process p;
            try
            {
                p = Process.Start(psi);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("These tests compare with tshark: install it (Debian package tshark).", e);
            }
            string stdout = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            var rows = new List<FrameRow>();
            foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] f = line.Split('\t');
                rows.Add(new FrameRow(long.Parse(f[0]), f[1], int.Parse(f[2]), int.Parse(f[3]), FromEncap(int.Parse(f[4])), f[5]));
            }
            return rows;
        }

        /// <summary>Wireshark's WTAP_ENCAP_ numbers of the link types in the test captures, as LINKTYPE_ values.</summary>
        private static int FromEncap(int encap) => encap switch
        {
            1 => 1,     // Ethernet
            7 => 101,   // raw IP
            25 => 113,  // Linux cooked v1
            210 => 276, // Linux cooked v2
            _ => -encap,
        };

        /// <summary>libpcap reports LINKTYPE_RAW (101) as DLT_RAW (12): both mean raw IP.</summary>
        public static int NormalizeLinkType(int linkType) => linkType == 12 || linkType == 14 ? 101 : linkType;
    }
}
