using System;
using System.Collections.Generic;
using System.Linq;
using FlannelTools.Capture;
using Xunit;
using static FlannelTools.Tests.Capture.CaptureOracle;

namespace FlannelTools.Tests.Capture
{
    public class BpfFilterTests
    {
        /// <summary>Frame numbers of the records the filter keeps, counting every record of the file.</summary>
        private static (List<long> Matched, long Total) Apply(string name, string expression)
        {
            using ICaptureReader reader = CaptureFile.Open(DataPath(name));
            using var filter = new BpfFilter(expression);
            var matched = new List<long>();
            long frame = 0;
            while (reader.TryReadNext(out CapturedRecord r))
            {
                frame++;
                if (filter.Matches(r.LinkType, r.Data, r.WireLength))
                {
                    matched.Add(frame);
                }
            }
            return (matched, frame);
        }

        [Theory]
        [InlineData("lo-eth-usec.pcap", "udp dst port 8472", "udp.dstport == 8472")]
        [InlineData("lo-eth-nsec.pcap", "udp dst port 9999", "udp.dstport == 9999")]
        [InlineData("rawip.pcap", "udp dst port 8472", "udp.dstport == 8472")]
        [InlineData("mixed-link.pcapng", "udp dst port 8472", "udp.dstport == 8472")]
        [InlineData("mixed-link.pcapng", "udp dst port 9999", "udp.dstport == 9999")]
        [InlineData("variants.pcapng", "udp dst port 8472", "udp.dstport == 8472")]
        public void MatchesTheSameFramesAsTsharkWithoutSkippingRecords(string name, string bpf, string displayFilter)
        {
            var expected = Tshark(DataPath(name), displayFilter).Select(r => r.Number).ToList();
            long total = Tshark(DataPath(name)).Count;
            var (matched, seen) = Apply(name, bpf);
            Assert.NotEmpty(expected);
            Assert.True(expected.Count < total, "the filter must drop some records for this test to mean anything");
            // frame numbers are the file's (Wireshark's), not 1..k: every record was read and counted
            Assert.Equal(total, seen);
            Assert.Equal(expected, matched);
        }

        [Fact]
        public void LenTestsTheWireLengthNotTheCapturedLength()
        {
            // rawip.pcap: 14 bytes cut from every frame (editcap -C 14), so the wire length is 14 more than the captured one
            var expected = Tshark(DataPath("rawip.pcap"), "frame.len >= 200").Select(r => r.Number).ToList();
            var capturedOnly = Tshark(DataPath("rawip.pcap"), "frame.cap_len >= 200").Select(r => r.Number).ToList();
            Assert.NotEqual(expected, capturedOnly);
            Assert.Equal(expected, Apply("rawip.pcap", "greater 199").Matched);
        }

        [Fact]
        public void CompilesOncePerLinkTypeAndEachLinkTypeGetsItsOwnProgram()
        {
            // "ether proto" is an offset into an Ethernet header for link type 1 and into the SLL2 header for 276:
            // one program for both would keep only one interface's frames.
            var (matched, total) = Apply("mixed-link.pcapng", "ether proto 0x0800");
            Assert.Equal(15, total);
            Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), matched);
        }

        [Fact]
        public void ExpressionThatDoesNotCompileForRawIpNamesTheLinkTypeAndLibpcapsMessage()
        {
            using var filter = new BpfFilter("ether host 00:11:22:33:44:55");
            filter.Compile(1); // fine for Ethernet
            var e = Assert.Throws<CaptureException>(() => filter.Compile(101));
            Assert.Equal(CaptureErrorKind.InvalidFilter, e.Kind);
            Assert.Equal("InvalidFilter", e.ErrorId);
            Assert.Contains("RAW", e.Message);
            Assert.Contains("101", e.Message);
            Assert.Contains("ethernet addresses supported only on", e.Message); // libpcap's words
            // asked again (next record), the same error, not a crash or a silent pass
            var again = Assert.Throws<CaptureException>(() => filter.Matches(101, new byte[20], 20));
            Assert.Equal(e.Message, again.Message);
        }

        [Fact]
        public void ExpressionThatDoesNotCompileForSll2FailsWhenTheFirstSll2RecordComes()
        {
            using ICaptureReader reader = CaptureFile.Open(DataPath("mixed-link.pcapng"));
            using var filter = new BpfFilter("ether src 00:11:22:33:44:55");
            long frame = 0;
            CaptureException error = null;
            while (reader.TryReadNext(out CapturedRecord r))
            {
                frame++;
                try
                {
                    filter.Matches(r.LinkType, r.Data, r.WireLength);
                }
                catch (CaptureException e)
                {
                    error = e;
                    break;
                }
            }
            Assert.NotNull(error);
            Assert.Equal(10, frame); // frames 1-9 are Ethernet, 10 the first Linux cooked v2
            Assert.Equal(CaptureErrorKind.InvalidFilter, error.Kind);
            Assert.Contains("LINUX_SLL2", error.Message);
            Assert.Contains("276", error.Message);
        }

        [Fact]
        public void SyntaxErrorIsInvalidFilter()
        {
            using var filter = new BpfFilter("udp port");
            var e = Assert.Throws<CaptureException>(() => filter.Compile(1));
            Assert.Equal(CaptureErrorKind.InvalidFilter, e.Kind);
            Assert.Contains("syntax error", e.Message);
        }

        [Fact]
        public void DisposedFilterRefusesToMatch()
        {
            var filter = new BpfFilter("udp");
            filter.Compile(1);
            filter.Dispose();
            filter.Dispose();
            Assert.Throws<ObjectDisposedException>(() => filter.Matches(1, new byte[60], 60));
        }
    }
}
