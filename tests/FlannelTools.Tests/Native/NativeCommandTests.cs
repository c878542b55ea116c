using System;
using System.Linq;
using System.Threading;
using FlannelTools.Native;
using Xunit;

namespace FlannelTools.Tests.Native
{
    public class NativeCommandTests
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

        [Fact]
        public void A_command_that_exits_with_0_gives_its_output()
        {
            NativeCommandResult result = NativeCommand.Run("sh", new[] { "-c", "printf 'a b\\n'" }, Timeout, CancellationToken.None);

            Assert.Equal("a b\n", result.Output());
            Assert.Equal("sh", result.Program);
        }

        [Fact]
        public void Standard_input_reaches_the_program_whole_and_is_closed()
        {
            string script = string.Join("\n", System.Linq.Enumerable.Range(1, 20000).Select(i => "echo line" + i)) + "\n";

            NativeCommandResult result = NativeCommand.Run("sh", new[] { "-s" }, Timeout, CancellationToken.None, standardInput: script);

            string[] lines = result.Output().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(20000, lines.Length);
            Assert.Equal("line1", lines[0]);
            Assert.Equal("line20000", lines[^1]);
        }

        [Fact]
        public void A_program_that_exits_before_reading_its_input_gives_its_exit_code()
        {
            NativeCommandResult result = NativeCommand.Run("sh", new[] { "-c", "exit 255" }, Timeout, CancellationToken.None,
                standardInput: new string('x', 1 << 20));

            Assert.Equal(255, result.ExitCode);
        }

        [Fact]
        public void A_command_that_exits_with_an_error_is_one_exception_with_its_code_standard_error_and_command_line()
        {
            NativeCommandResult result = NativeCommand.Run("sh", new[] { "-c", "echo 'error: You must be logged in' >&2; exit 3" }, Timeout, CancellationToken.None);

            var e = Assert.Throws<NativeCommandException>(() => result.Output());

            Assert.Equal(NativeCommandFailure.ExitedWithError, e.Failure);
            Assert.Equal("sh", e.Program);
            Assert.Equal(3, e.ExitCode);
            Assert.Same(result, e.Result);
            Assert.StartsWith("sh failed with exit code 3: error: You must be logged in (", e.Message);
            Assert.EndsWith("/sh -c \"echo 'error: You must be logged in' >&2; exit 3\")", e.Message);
        }

        [Fact]
        public void A_program_that_is_not_installed_is_NotFound_and_named()
        {
            var e = Assert.Throws<NativeCommandException>(() =>
                NativeCommand.Run("flanneltools-no-such-program", Array.Empty<string>(), Timeout, CancellationToken.None));

            Assert.Equal(NativeCommandFailure.NotFound, e.Failure);
            Assert.Equal("flanneltools-no-such-program", e.Program);
            Assert.Null(e.ExitCode);
        }

        [Fact]
        public void Cancelling_ends_the_child_and_is_Cancelled()
        {
            using (var cancellation = new CancellationTokenSource())
            {
                cancellation.Cancel();
                var e = Assert.Throws<NativeCommandException>(() =>
                    NativeCommand.Run("sleep", new[] { "300" }, Timeout, cancellation.Token));

                Assert.Equal(NativeCommandFailure.Cancelled, e.Failure);
                Assert.Equal("sleep", e.Program);
            }
        }
    }
}
