using System;
using System.IO;
using System.Linq;
using FlannelTools.Capture;
using Xunit;
using static FlannelTools.Tests.Capture.CaptureOracle;

namespace FlannelTools.Tests.Capture
{
    public class CaptureFileTests
    {
        /// <summary>Reads the file through CaptureFile.Open and compares every record with tshark's.</summary>
        private static void AssertSameAsTshark(string name, Type expectedReader, int expectedDigits) =>
            AssertFileSameAsTshark(DataPath(name), expectedReader, expectedDigits);

        private static void AssertFileSameAsTshark(string path, Type expectedReader, int expectedDigits)
        {
            var expected = Tshark(path);
            Assert.NotEmpty(expected);
            ICaptureReader reader = CaptureFile.Open(path);
            try
            {
                Assert.IsType(expectedReader, reader);
                Assert.Equal(path, reader.Name);
                Assert.Equal(expectedDigits, reader.TimestampDigits);
                Assert.Equal(new FileInfo(path).Length, reader.Length);
                var (rows, error) = ReadAll(reader);
                Assert.Null(error);
                Assert.True(reader.IsEnd);
                Assert.False(reader.TryReadNext(out _));
                Assert.Equal(expected.Count, rows.Count);
                for (int i = 0; i < rows.Count; i++)
                {
                    FrameRow want = expected[i], got = rows[i];
                    Assert.Equal(want.Number, got.Number);
                    // a Simple Packet Block has no time stamp: tshark shows none, the reader gives 0
                    Assert.Equal(want.Epoch == "" ? "0.000000000" : want.Epoch, got.Epoch);
                    Assert.Equal(want.Length, got.Length);
                    Assert.Equal(want.CapturedLength, got.CapturedLength);
                    Assert.Equal(want.LinkType, NormalizeLinkType(got.LinkType));
                    Assert.Equal(want.Md5, got.Md5);
                }
            }
            finally
            {
                reader.Dispose();
            }
        }

        [Fact]
        public void PcapMicrosecondsMatchesTshark() =>
            AssertSameAsTshark("lo-eth-usec.pcap", typeof(PcapFileReader), 6);

        [Fact]
        public void PcapNanosecondsKeepsNanoseconds()
        {
            AssertSameAsTshark("lo-eth-nsec.pcap", typeof(PcapFileReader), 9);
            // the file really has sub-microsecond digits, so the comparison above tested them
            Assert.Contains(Tshark(DataPath("lo-eth-nsec.pcap")), r => !r.Epoch.EndsWith("000"));
        }

        [Fact]
        public void RawIpPcapMatchesTshark() =>
            AssertSameAsTshark("rawip.pcap", typeof(PcapFileReader), 6);

        [Fact]
        public void SingleLinkTypePcapNgMatchesTshark() =>
            AssertSameAsTshark("lo-eth.pcapng", typeof(PcapNgReader), 6);

        [Fact]
        public void MixedLinkTypePcapNgMatchesTshark()
        {
            AssertSameAsTshark("mixed-link.pcapng", typeof(PcapNgReader), 6);
            var linkTypes = Tshark(DataPath("mixed-link.pcapng")).Select(r => r.LinkType).Distinct().OrderBy(t => t);
            Assert.Equal(new[] { 1, 276 }, linkTypes);
        }

        [Fact]
        public void PcapNgVariantsMatchTshark()
        {
            // big-endian and little-endian sections, if_tsresol 2^-20 and 10^-3 and 10^-9, if_tsoffset, SPB, obsolete PB,
            // NRB/ISB/unknown blocks skipped, interfaces reset by the second section
            AssertSameAsTshark("variants.pcapng", typeof(PcapNgReader), 6);
        }

        [Fact]
        public void PcapNgWithALaterInterfaceOfAnotherLinkTypeMatchesTshark()
        {
            // libpcap reads 2 frames of this file and then gives up; the reader reads every frame, each with its link type
            AssertSameAsTshark("late-interface.pcapng", typeof(PcapNgReader), 6);
            Assert.Equal(new[] { 1, 276 }, Tshark(DataPath("late-interface.pcapng")).Select(r => r.LinkType).Distinct().OrderBy(t => t));
        }

        [Fact]
        public void TruncatedPcapNamesTheLastGoodFrameAfterHandingOutEveryRecordBeforeIt()
        {
            string path = DataPath("truncated.pcap");
            var expected = Tshark(path); // tshark reads the 4 whole records, then says the file is cut short
            Assert.Equal(4, expected.Count);
            using ICaptureReader reader = CaptureFile.Open(path);
            var (rows, error) = ReadAll(reader);
            Assert.Equal(expected.Select(r => (r.Number, r.Epoch, r.Md5)), rows.Select(r => (r.Number, r.Epoch, r.Md5)));
            Assert.NotNull(error);
            Assert.Equal(CaptureErrorKind.TruncatedRecord, error.Kind);
            Assert.Equal("TruncatedRecord", error.ErrorId);
            Assert.Contains(path, error.Message);
            Assert.Contains("after frame 4", error.Message);
            Assert.Contains("inside frame 5", error.Message);
            Assert.True(reader.IsEnd);
        }

        [Fact]
        public void TruncatedPcapNgNamesTheLastGoodFrame()
        {
            string path = DataPath("truncated.pcapng");
            var expected = Tshark(path);
            Assert.Equal(14, expected.Count);
            using ICaptureReader reader = CaptureFile.Open(path);
            var (rows, error) = ReadAll(reader);
            Assert.Equal(expected.Select(r => (r.Number, r.Md5)), rows.Select(r => (r.Number, r.Md5)));
            Assert.NotNull(error);
            Assert.Equal(CaptureErrorKind.TruncatedRecord, error.Kind);
            Assert.Contains(path, error.Message);
            Assert.Contains("after frame 14", error.Message);
        }

        [Fact]
        public void CutPcapNgNamesTheLastGoodFrame()
        {
            string source = DataPath("lo-eth.pcapng");
            string path = Path.Combine(Path.GetTempPath(), $"flanneltools-cut-{Guid.NewGuid():N}.pcapng");
            byte[] bytes = File.ReadAllBytes(source);
            File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 10).ToArray());
            try
            {
                using ICaptureReader reader = CaptureFile.Open(path);
                var (rows, error) = ReadAll(reader);
                Assert.Equal(8, rows.Count);
                Assert.NotNull(error);
                Assert.Equal(CaptureErrorKind.TruncatedRecord, error.Kind);
                Assert.Contains("after frame 8", error.Message);
                Assert.Contains(path, error.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void MalformedPcapNgBlockLengthIsAnError()
        {
            string path = Path.Combine(Path.GetTempPath(), $"flanneltools-bad-{Guid.NewGuid():N}.pcapng");
            byte[] bytes = File.ReadAllBytes(DataPath("mixed-link.pcapng"));
            // the trailing length of the last block no longer matches its leading length
            bytes[^4] ^= 0x40;
            File.WriteAllBytes(path, bytes);
            try
            {
                using ICaptureReader reader = CaptureFile.Open(path);
                var (rows, error) = ReadAll(reader);
                Assert.Equal(14, rows.Count);
                Assert.NotNull(error);
                Assert.Equal(CaptureErrorKind.MalformedRecord, error.Kind);
                Assert.Contains("after frame 14", error.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void NotACaptureIsFileNotCapture()
        {
            string path = DataPath("not-a-capture.pcap");
            var e = Assert.Throws<CaptureException>(() => CaptureFile.Open(path));
            Assert.Equal(CaptureErrorKind.FileNotCapture, e.Kind);
            Assert.Contains(path, e.Message);
        }

        [Fact]
        public void EmptyFileIsEmptyFile()
        {
            string path = DataPath("empty.pcap");
            Assert.Equal(0, new FileInfo(path).Length);
            var e = Assert.Throws<CaptureException>(() => CaptureFile.Open(path));
            Assert.Equal(CaptureErrorKind.EmptyFile, e.Kind);
            Assert.Contains(path, e.Message);
        }

        [Fact]
        public void MissingFileIsFileNotFound()
        {
            string path = DataPath("no-such-file.pcap");
            var e = Assert.Throws<CaptureException>(() => CaptureFile.Open(path));
            Assert.Equal(CaptureErrorKind.FileNotFound, e.Kind);
            Assert.Equal("FileNotFound", e.ErrorId);
            Assert.Contains(path, e.Message);
        }

        [Fact]
        public void PcapCutInsideItsFileHeaderIsTruncated()
        {
            string path = Path.Combine(Path.GetTempPath(), $"flanneltools-hdr-{Guid.NewGuid():N}.pcap");
            File.WriteAllBytes(path, File.ReadAllBytes(DataPath("lo-eth-usec.pcap")).AsSpan(0, 10).ToArray());
            try
            {
                var e = Assert.Throws<CaptureException>(() => CaptureFile.Open(path));
                Assert.Equal(CaptureErrorKind.TruncatedRecord, e.Kind);
                Assert.Contains(path, e.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void BytesReadReachesLengthAtTheEnd()
        {
            using ICaptureReader reader = CaptureFile.Open(DataPath("lo-eth-usec.pcap"));
            long last = 0;
            while (reader.TryReadNext(out _))
            {
                Assert.True(reader.BytesRead >= last);
                Assert.True(reader.BytesRead <= reader.Length);
                last = reader.BytesRead;
            }
            Assert.Equal(reader.Length, reader.BytesRead);
        }
    }
}
