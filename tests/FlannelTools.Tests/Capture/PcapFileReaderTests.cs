using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using FlannelTools.Capture;
using FlannelTools.Decoding;
using Xunit;
using static FlannelTools.Tests.Capture.CaptureOracle;

namespace FlannelTools.Tests.Capture
{
    /// <summary>The managed pcap and pcapng readers on every real capture of the repository, and on real captures rewritten.</summary>
    public class PcapFileReaderTests : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("flanneltools-readers-").FullName;

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        /// <summary>Every capture under tests/data that is not broken on purpose (unknown-link.pcap is relabelled as 802.11, which tshark reports under another number).</summary>
        public static IEnumerable<object[]> RealCaptures() =>
            Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "data"), "*.pcap*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".pcap") || f.EndsWith(".pcapng"))
                .Where(f => !new[] { "truncated", "empty", "not-a-capture", "unknown-link" }.Any(Path.GetFileName(f).Contains))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new object[] { Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "data"), f) });

        [Theory]
        [MemberData(nameof(RealCaptures))]
        public void EveryRealCaptureReadsAsTsharkReadsIt(string relativePath)
        {
            string path = Path.Combine(AppContext.BaseDirectory, "data", relativePath);
            AssertSameRows(Tshark(path), path);
        }

        [Theory]
        [InlineData("lo-eth-usec.pcap", 6)]
        [InlineData("lo-eth-nsec.pcap", 9)]
        [InlineData("rawip.pcap", 6)]
        public void BigEndianPcapReadsAsTsharkReadsIt(string name, int digits)
        {
            // a real tcpdump capture with its file and record headers rewritten in big-endian byte order, as a
            // big-endian host's tcpdump writes them; tshark reads the rewritten file
            string path = Path.Combine(_folder, "be-" + name);
            File.WriteAllBytes(path, ToBigEndian(File.ReadAllBytes(DataPath(name))));
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(File.ReadAllBytes(path)), digits == 9 ? 0xA1B23C4Du : 0xA1B2C3D4u);
            List<FrameRow> expected = Tshark(path);
            Assert.Equal(Tshark(DataPath(name)).Select(r => r.Md5), expected.Select(r => r.Md5));
            using ICaptureReader reader = CaptureFile.Open(path);
            Assert.IsType<PcapFileReader>(reader);
            Assert.Equal(digits, reader.TimestampDigits);
            AssertSameRows(expected, path);
        }

        [Fact]
        public void NanosecondPcapNgFromEditcapKeepsNanoseconds()
        {
            string path = Path.Combine(_folder, "eth-nano.pcapng");
            Run("editcap", "-F", "pcapng", LabPath("eth-nano.pcap"), path);
            using (ICaptureReader reader = CaptureFile.Open(path))
            {
                Assert.IsType<PcapNgReader>(reader);
                Assert.Equal(9, reader.TimestampDigits);
            }
            List<FrameRow> expected = Tshark(path);
            Assert.Contains(expected, r => !r.Epoch.EndsWith("000"));
            AssertSameRows(expected, path);
        }

        [Fact]
        public void PcapFromEditcapOfAPcapNgReadsAsTsharkReadsIt()
        {
            string path = Path.Combine(_folder, "eth-dumpcap.pcap");
            Run("editcap", "-F", "pcap", LabPath("eth-dumpcap.pcapng"), path);
            AssertSameRows(Tshark(path), path);
        }

        [Fact]
        public void ARecordLengthOfAGigabyteIsAnErrorNamingTheFrameNotAnAllocation()
        {
            string path = Path.Combine(_folder, "huge-record.pcap");
            byte[] bytes = File.ReadAllBytes(DataPath("lo-eth-usec.pcap"));
            int third = RecordOffset(bytes, 3);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(third + 8), 0x40000000);
            File.WriteAllBytes(path, bytes);
            List<FrameRow> tshark = Tshark(path); // tshark, too, reads two frames and reports the file damaged at frame 3
            Assert.Equal(3, tshark.Last().Number);
            Assert.Equal(0, tshark.Last().CapturedLength);

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            using ICaptureReader reader = CaptureFile.Open(path);
            var (rows, error) = ReadAll(reader);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 8 * 1024 * 1024);
            Assert.Equal(Tshark(DataPath("lo-eth-usec.pcap")).Take(2), rows);
            Assert.NotNull(error);
            Assert.Equal(CaptureErrorKind.MalformedRecord, error.Kind);
            Assert.Contains("after frame 2", error.Message);
            Assert.Contains("frame 3 has a captured length of 1073741824 bytes", error.Message);
            Assert.True(reader.IsEnd);
        }

        [Fact]
        public void APcapCutInsideARecordHeaderNamesTheLastGoodFrame()
        {
            // eth.pcap cut 8 bytes into the second record's header: tshark reads the one whole record (its MD5 of a
            // record in a cut file is not that of the record's bytes, so the bytes are compared with eth.pcap's frame 1)
            string path = LabPath("truncated-header.pcap");
            FrameRow whole = Assert.Single(Tshark(path));
            using ICaptureReader reader = CaptureFile.Open(path);
            var (rows, error) = ReadAll(reader);
            FrameRow row = Assert.Single(rows);
            Assert.Equal((whole.Number, whole.Epoch, whole.Length, whole.CapturedLength), (row.Number, row.Epoch, row.Length, row.CapturedLength));
            Assert.Equal(Tshark(LabPath("eth.pcap"))[0].Md5, row.Md5);
            Assert.Equal(CaptureErrorKind.TruncatedRecord, error.Kind);
            Assert.Contains("after frame 1: it ends inside the record header of frame 2 (8 of 16 bytes)", error.Message);
        }

        [Fact]
        public void APcapCutInsideARecordsDataNamesTheLastGoodFrame()
        {
            string path = LabPath("truncated-data.pcap");
            List<FrameRow> expected = Tshark(path);
            using ICaptureReader reader = CaptureFile.Open(path);
            var (rows, error) = ReadAll(reader);
            Assert.Equal(expected.Select(r => r.Md5), rows.Select(r => r.Md5));
            Assert.Equal(CaptureErrorKind.TruncatedRecord, error.Kind);
            Assert.Contains($"after frame {expected.Count}: it ends inside frame {expected.Count + 1}", error.Message);
        }

        [Fact]
        public void ARecordCapturedLongerThanItsOriginalLengthIsAWarningNamingTheFrame()
        {
            string path = Path.Combine(_folder, "caplen-over-len.pcap");
            byte[] bytes = File.ReadAllBytes(LabPath("eth.pcap"));
            int fourth = RecordOffset(bytes, 4);
            uint capturedLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(fourth + 8));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(fourth + 12), capturedLength - 10);
            File.WriteAllBytes(path, bytes);
            string damaged = Assert.Single(Tshark(path, "frame.cap_len > frame.len")).Number.ToString();

            using ICaptureReader records = CaptureFile.Open(path);
            var reader = new VxlanFrameReader(records, new PortSet(new[] { 8472 }), null, null);
            var warnings = new List<string>();
            var frames = new List<VxlanFrame>();
            while (reader.Read(out VxlanFrame frame, out string warning))
            {
                if (warning != null)
                {
                    warnings.Add(warning);
                }
                if (frame != null)
                {
                    frames.Add(frame);
                }
            }
            string only = Assert.Single(warnings);
            Assert.StartsWith($"Frame {damaged}: its captured length {capturedLength} is more than its original length {capturedLength - 10}", only);
            Assert.Equal(Tshark(LabPath("eth.pcap"), "udp.dstport == 8472").Count, frames.Count); // the frame is still decoded
        }

        [Fact]
        public void APcapNgPacketBeforeAnyInterfaceIsMalformedAtFrameOne()
        {
            // lo-eth.pcapng without its Interface Description block: the first Enhanced Packet names an interface
            // the section does not describe
            byte[] bytes = File.ReadAllBytes(DataPath("lo-eth.pcapng"));
            int shbLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(shbLength)));
            int idbLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(shbLength + 4));
            string path = Path.Combine(_folder, "no-interface.pcapng");
            File.WriteAllBytes(path, bytes.Take(shbLength).Concat(bytes.Skip(shbLength + idbLength)).ToArray());

            using ICaptureReader reader = CaptureFile.Open(path);
            var (rows, error) = ReadAll(reader);
            Assert.Empty(rows);
            Assert.Equal(CaptureErrorKind.MalformedRecord, error.Kind);
            Assert.Contains("after frame 0: frame 1 names interface 0, but section 1 describes 0", error.Message);
        }

        private static string LabPath(string name) => Path.Combine(AppContext.BaseDirectory, "data", "lab", name);

        private static void AssertSameRows(List<FrameRow> expected, string path)
        {
            Assert.NotEmpty(expected);
            using ICaptureReader reader = CaptureFile.Open(path);
            var (rows, error) = ReadAll(reader);
            Assert.Null(error);
            Assert.Equal(reader.Length, reader.BytesRead);
            Assert.Equal(
                expected.Select(r => (r.Number, r.Epoch == "" ? "0.000000000" : r.Epoch, r.Length, r.CapturedLength, r.LinkType, r.Md5)),
                rows.Select(r => (r.Number, r.Epoch, r.Length, r.CapturedLength, NormalizeLinkType(r.LinkType), r.Md5)));
        }

        /// <summary>The offset of record <paramref name="number"/> (from 1) of a little-endian pcap.</summary>
        private static int RecordOffset(byte[] pcap, int number)
        {
            int offset = 24;
            for (int i = 1; i < number; i++)
            {
                offset += 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(offset + 8));
            }
            return offset;
        }

        /// <summary>A little-endian pcap with every header field byte-swapped.</summary>
        private static byte[] ToBigEndian(byte[] pcap)
        {
            byte[] b = (byte[])pcap.Clone();
            void Swap32(int o) => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(o), BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(o)));
            void Swap16(int o) => BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(o), BinaryPrimitives.ReadUInt16LittleEndian(pcap.AsSpan(o)));
            Swap32(0);
            Swap16(4);
            Swap16(6);
            for (int o = 8; o < 24; o += 4)
            {
                Swap32(o);
            }
            for (int offset = 24; offset < pcap.Length;)
            {
                int capturedLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(pcap.AsSpan(offset + 8));
                for (int o = 0; o < 16; o += 4)
                {
                    Swap32(offset + o);
                }
                offset += 16 + capturedLength;
            }
            return b;
        }

        private static void Run(string program, params string[] arguments)
        {
            var psi = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in arguments)
            {
                psi.ArgumentList.Add(a);
            }
            using Process p = Process.Start(psi);
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{program} failed: {stderr}");
        }
    }
}
