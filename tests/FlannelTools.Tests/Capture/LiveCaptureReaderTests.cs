using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using FlannelTools.Capture;
using Xunit;
using static FlannelTools.Tests.Capture.CaptureOracle;

namespace FlannelTools.Tests.Capture
{
    /// <summary>
    /// Live capture on loopback (CI runs as root). Without root, the one thing that can be checked is the
    /// permission error, and the tests that need to capture check exactly that instead.
    /// </summary>
    public class LiveCaptureReaderTests
    {
        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEuid();

        private static bool IsRoot => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && GetEuid() == 0;

        private static string TempPath(string ext) => Path.Combine(Path.GetTempPath(), $"flanneltools-live-{Guid.NewGuid():N}{ext}");

        /// <returns>False (after checking the permission error) when this process may not capture.</returns>
        private static bool CanCapture()
        {
            if (IsRoot)
            {
                return true;
            }
            var e = Assert.Throws<CaptureException>(() => new LiveCaptureReader("lo"));
            Assert.Equal(CaptureErrorKind.CapturePermissionDenied, e.Kind);
            Assert.Contains("'lo'", e.Message);
            return false;
        }

        private static Task SendAsync(int port, IReadOnlyList<byte[]> payloads) => Task.Run(async () =>
        {
            await Task.Delay(300);
            using var socket = new UdpClient();
            foreach (byte[] payload in payloads)
            {
                socket.Send(payload, payload.Length, new IPEndPoint(IPAddress.Loopback, port));
                await Task.Delay(20);
            }
        });

        [Fact]
        public void CapturesOnLoopbackWithKernelFilterAndWritesEveryPacketToOutFile()
        {
            if (!CanCapture())
            {
                return;
            }
            int port = 20000 + Environment.ProcessId % 20000;
            var payloads = new List<byte[]>();
            for (int i = 0; i < 5; i++)
            {
                byte[] p = new byte[30 + i * 11];
                p.AsSpan().Fill((byte)(0xA0 + i));
                payloads.Add(p);
            }
            string outFile = TempPath(".pcap");
            var captured = new List<string>();
            try
            {
                using (var reader = new LiveCaptureReader("lo", $"udp dst port {port} and dst host 127.0.0.1", outFile))
                {
                    Assert.Equal("lo", reader.Name);
                    Assert.Equal(1, reader.LinkType); // Linux loopback is Ethernet to libpcap
                    Assert.Equal(9, reader.TimestampDigits);
                    Assert.Equal(0, reader.Length);
                    Task sender = SendAsync(port, payloads);
                    var deadline = Stopwatch.StartNew();
                    while (captured.Count < payloads.Count && deadline.Elapsed < TimeSpan.FromSeconds(10))
                    {
                        if (reader.TryReadNext(out CapturedRecord r))
                        {
                            Assert.Equal(1, r.LinkType);
                            Assert.Equal(r.Data.Length, r.WireLength);
                            var sent = DateTimeOffset.FromUnixTimeSeconds(r.Seconds).AddTicks(r.Nanoseconds / 100);
                            Assert.True(Math.Abs((DateTimeOffset.UtcNow - sent).TotalSeconds) < 30);
                            Assert.True(r.Data.EndsWith(payloads[captured.Count]));
                            captured.Add(Md5(r.Data));
                        }
                        else
                        {
                            Assert.False(reader.IsEnd);
                        }
                    }
                    sender.Wait();
                    Assert.Equal(payloads.Count, captured.Count);
                    Assert.True(reader.Statistics.Received >= payloads.Count);
                    Assert.Equal(0, reader.Statistics.DroppedByKernel);
                }

                // the out file is a nanosecond pcap of exactly those packets, as tshark and CaptureFile read it
                var tshark = Tshark(outFile);
                Assert.Equal(captured, tshark.ConvertAll(r => r.Md5));
                using ICaptureReader file = CaptureFile.Open(outFile);
                Assert.Equal(9, file.TimestampDigits);
                var (rows, error) = ReadAll(file);
                Assert.Null(error);
                Assert.Equal(tshark.ConvertAll(r => (r.Epoch, r.Md5)), rows.ConvertAll(r => (r.Epoch, r.Md5)));
            }
            finally
            {
                File.Delete(outFile);
            }
        }

        [Fact]
        public void ReadTimesOutAfterAbout100MillisecondsWithoutEnding()
        {
            if (!CanCapture())
            {
                return;
            }
            using var reader = new LiveCaptureReader("lo", "udp dst port 1 and dst host 127.0.0.9");
            for (int i = 0; i < 3; i++)
            {
                var watch = Stopwatch.StartNew();
                Assert.False(reader.TryReadNext(out _));
                watch.Stop();
                Assert.False(reader.IsEnd);
                Assert.True(watch.ElapsedMilliseconds < 400, $"a read with nothing to read took {watch.ElapsedMilliseconds} ms");
            }
            reader.Dispose();
            Assert.True(reader.IsEnd);
            Assert.False(reader.TryReadNext(out _));
        }

        [Fact]
        public void NoSuchInterfaceIsInterfaceNotFound()
        {
            var e = Assert.Throws<CaptureException>(() => new LiveCaptureReader("flnt-nosuch0"));
            Assert.Equal(CaptureErrorKind.InterfaceNotFound, e.Kind);
            Assert.Equal("InterfaceNotFound", e.ErrorId);
            Assert.Contains("flnt-nosuch0", e.Message);
        }

        [Fact]
        public void ExistingOutFileIsRefusedUnlessOverwriteIsAsked()
        {
            if (!CanCapture())
            {
                return;
            }
            string outFile = TempPath(".pcap");
            File.WriteAllText(outFile, "keep me");
            try
            {
                var e = Assert.Throws<CaptureException>(() => new LiveCaptureReader("lo", "udp dst port 1", outFile));
                Assert.Equal(CaptureErrorKind.OutFileExists, e.Kind);
                Assert.Contains(outFile, e.Message);
                Assert.Equal("keep me", File.ReadAllText(outFile));

                using (new LiveCaptureReader("lo", "udp dst port 1", outFile, overwrite: true))
                {
                }
                // a nanosecond pcap (magic a1b23c4d, little-endian here) replaced the text
                Assert.Equal(new byte[] { 0x4d, 0x3c, 0xb2, 0xa1 }, File.ReadAllBytes(outFile).AsSpan(0, 4).ToArray());
            }
            finally
            {
                File.Delete(outFile);
            }
        }

        [Fact]
        public void BadKernelFilterIsInvalidFilter()
        {
            if (!CanCapture())
            {
                return;
            }
            var e = Assert.Throws<CaptureException>(() => new LiveCaptureReader("lo", "udp port"));
            Assert.Equal(CaptureErrorKind.InvalidFilter, e.Kind);
            Assert.Contains("udp port", e.Message);
        }
    }
}
