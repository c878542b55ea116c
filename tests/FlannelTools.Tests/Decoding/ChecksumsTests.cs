using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using FlannelTools.Capture;
using FlannelTools.Decoding;
using Xunit;

namespace FlannelTools.Tests.Decoding
{
    /// <summary>
    /// The checksum routines against tshark's own verification, frame by frame, on real lab captures (tests/data/wire,
    /// made by make-wire-captures.sh there): the offload artefact as the lab's veths leave it, its completed and edited
    /// copies, and the VXLAN checksum bug made for real (lab.sh fault checksum).
    /// </summary>
    public class ChecksumsTests
    {
        private static readonly PortSet Ports = new PortSet(PortSet.DefaultVxlanPorts);

        private static string WirePath(string name) => Path.Combine(AppContext.BaseDirectory, "data", "wire", name);

        public static IEnumerable<object[]> WireCaptures() =>
            Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "data", "wire"), "*.pcap")
                .Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(WireCaptures))]
        public void EveryFrameGetsTsharksVerdicts(string name)
        {
            List<string> expected = TsharkVerdicts(WirePath(name));
            List<string> actual = Verdicts(WirePath(name)).Select(v => v.Text).ToList();
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.True(expected[i] == actual[i], $"{name} frame {i + 1}: tshark {expected[i]}, ours {actual[i]}");
            }
        }

        [Fact]
        public void OffloadArtefactOnBothNodesIsNeverWrong()
        {
            // The lab's veths leave every TCP/UDP checksum to the device: tshark calls them all bad; every VXLAN frame is the artefact.
            foreach (string name in new[] { "offload-node1-eth0.pcap", "offload-node2-any.pcap" })
            {
                var classes = Verdicts(WirePath(name)).Where(v => v.Checksums.IsVxlan).Select(v => Checksums.Classify(v.Checksums)).ToList();
                Assert.NotEmpty(classes);
                Assert.All(classes, c => Assert.Equal(ChecksumClass.Offload, c));
            }
        }

        [Fact]
        public void CompletedCopyIsValidAndBrokenFramesAreOuterWrong()
        {
            var completed = Verdicts(WirePath("completed-node1-eth0.pcap")).Where(v => v.Checksums.IsVxlan).Select(v => Checksums.Classify(v.Checksums)).ToList();
            Assert.All(completed, c => Assert.Equal(ChecksumClass.Valid, c));
            var edited = Verdicts(WirePath("outer-wrong-node1-eth0.pcap"));
            var wrong = edited.Where(v => v.Checksums.IsVxlan && Checksums.Classify(v.Checksums) == ChecksumClass.OuterWrong).Select(v => v.Number).ToList();
            Assert.Equal(new long[] { 3, 6 }, wrong);
        }

        [Fact]
        public void TheBugMadeForRealIsOuterWrongOnTheReceiver()
        {
            var frames = Verdicts(WirePath("bug-node2-eth0.pcap")).Where(v => v.Checksums.IsVxlan).ToList();
            Assert.NotEmpty(frames);
            Assert.All(frames, v =>
            {
                Assert.Equal(ChecksumVerdict.Bad, v.Checksums.OuterTransport);
                Assert.Equal(ChecksumVerdict.Good, v.Checksums.InnerTransport);
                Assert.Equal(ChecksumClass.OuterWrong, Checksums.Classify(v.Checksums));
            });
        }

        [Fact]
        public void FrameCutBeforeTheEndIsNotJudged()
        {
            byte[] frame = FirstVxlanFrame(WirePath("bug-node2-eth0.pcap"));
            FrameChecksums cut = Checksums.Verify(frame.AsSpan(0, frame.Length - 1), LinkType.Ethernet, Ports);
            Assert.Equal(ChecksumVerdict.NotVerified, cut.OuterTransport);
            Assert.Equal(ChecksumClass.NotJudged, Checksums.Classify(in cut));
        }

        [Fact]
        public void ZeroOuterUdpChecksumIsNoneAndTheInnerOneDecides()
        {
            byte[] frame = FirstVxlanFrame(WirePath("completed-node1-eth0.pcap"));
            frame[14 + 20 + 6] = 0;
            frame[14 + 20 + 7] = 0;
            FrameChecksums c = Checksums.Verify(frame, LinkType.Ethernet, Ports);
            Assert.Equal(ChecksumVerdict.None, c.OuterTransport);
            Assert.Equal(ChecksumClass.Valid, Checksums.Classify(in c));
        }

        private static byte[] FirstVxlanFrame(string path)
        {
            using ICaptureReader reader = CaptureFile.Open(path);
            while (reader.TryReadNext(out CapturedRecord r))
            {
                if (Checksums.Verify(r.Data, r.LinkType, Ports).IsVxlan)
                {
                    return r.Data.ToArray();
                }
            }
            throw new InvalidOperationException("no VXLAN frame in " + path);
        }

        private sealed record Verdict(long Number, FrameChecksums Checksums, string Text);

        /// <summary>Our verdicts in tshark's columns: ip, udp and tcp checksum status (1 good, 0 bad), outer then inner, comma-separated.</summary>
        private static List<Verdict> Verdicts(string path)
        {
            var list = new List<Verdict>();
            using ICaptureReader reader = CaptureFile.Open(path);
            while (reader.TryReadNext(out CapturedRecord r))
            {
                FrameChecksums c = Checksums.Verify(r.Data, r.LinkType, Ports);
                var ip = new List<string>();
                var udp = new List<string>();
                var tcp = new List<string>();
                Add(ip, c.OuterIp);
                Add(c.OuterProtocol == 17 ? udp : tcp, c.OuterTransport);
                if (c.IsVxlan)
                {
                    Add(ip, c.InnerIp);
                    Add(c.InnerProtocol == 17 ? udp : tcp, c.InnerTransport);
                }
                list.Add(new Verdict(list.Count + 1, c, string.Join(",", ip) + "\t" + string.Join(",", udp) + "\t" + string.Join(",", tcp)));
            }
            return list;
        }

        private static void Add(List<string> column, ChecksumVerdict v)
        {
            if (v == ChecksumVerdict.Good || v == ChecksumVerdict.Bad)
            {
                column.Add(v == ChecksumVerdict.Good ? "1" : "0");
            }
        }

        private static List<string> TsharkVerdicts(string path)
        {
            var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "-n", "-r", path, "-d", "udp.port==8472,vxlan", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-o", "ip.check_checksum:TRUE", "-T", "fields", "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "tcp.checksum.status" })
            {
                psi.ArgumentList.Add(a);
            }
            using Process p = Process.Start(psi);
            string stdout = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            return stdout.Split('\n').Where(l => l.Length > 0).Select(l => string.Join("\t", l.Split('\t').Select(f => string.Join(",", f.Split(',').Where(s => s == "0" || s == "1"))))).ToList();
        }
    }
}
