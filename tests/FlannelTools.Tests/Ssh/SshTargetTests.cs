using System.Linq;
using FlannelTools.Ssh;
using Xunit;

namespace FlannelTools.Tests.Ssh
{
    public class SshTargetTests
    {
        [Theory]
        [InlineData("node1", null, "node1", null)]
        [InlineData("admin@node1", "admin", "node1", null)]
        [InlineData("ssh://admin@192.168.0.12:2222", "admin", "192.168.0.12", 2222)]
        [InlineData("ssh://node1", null, "node1", null)]
        [InlineData("ssh://node1:22/", null, "node1", 22)]
        [InlineData("SSH://root@[fd00::12]:2222", "root", "fd00::12", 2222)]
        [InlineData("root@fd00::12", "root", "fd00::12", null)]
        [InlineData("  node-1.example.org ", null, "node-1.example.org", null)]
        public void Reads_host_user_at_host_and_the_ssh_uri(string text, string user, string host, int? port)
        {
            SshTarget target = SshTarget.Parse(text, out string why);

            Assert.Null(why);
            Assert.Equal(user, target.User);
            Assert.Equal(host, target.Host);
            Assert.Equal(port, target.Port);
            Assert.Equal(text, target.Text);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData("-oProxyCommand=sh", "option of ssh")]
        [InlineData("root@-oProxyCommand=sh", "option of ssh")]
        [InlineData("@node1", "user name before '@' is empty")]
        [InlineData("root@node1:2222", "ssh://root@node1:2222")]
        [InlineData("ssh://root@node1:0", "port '0'")]
        [InlineData("ssh://root@node1:70000", "port '70000'")]
        [InlineData("ssh://root@node1:ssh", "port 'ssh'")]
        [InlineData("ssh://root@[fd00::12:2222", "no closing ']'")]
        [InlineData("ssh://root@", "names no host")]
        [InlineData("node 1", "not a host name")]
        [InlineData("ro ot@node1", "not a login name")]
        public void Says_what_is_wrong_with_a_host_it_cannot_read(string text, string expected)
        {
            SshTarget target = SshTarget.Parse(text, out string why);

            Assert.Null(target);
            Assert.Contains(expected, why);
        }

        [Fact]
        public void Runs_ssh_in_batch_mode_with_the_options_before_the_defaults_they_override_and_the_host_after_the_end_of_options()
        {
            SshTarget target = SshTarget.Parse("ssh://admin@node1:2222", out _);

            var arguments = SshCollector.Arguments(target, new[] { "StrictHostKeyChecking=yes", "IdentityFile=/k" }, sudo: true, connectTimeoutSeconds: 7);

            Assert.Equal(new[]
            {
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "IdentityFile=/k",
                "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=7", "-p", "2222", "-l", "admin", "--", "node1", "sudo -n sh -s",
            }, arguments);
        }

        [Fact]
        public void Gives_neither_port_nor_user_when_the_host_names_none()
        {
            var arguments = SshCollector.Arguments(SshTarget.Parse("node1", out _), null, sudo: false, connectTimeoutSeconds: 60);

            Assert.DoesNotContain("-p", arguments);
            Assert.DoesNotContain("-l", arguments);
            Assert.Equal(new[] { "--", "node1", "sh -s" }, arguments.Skip(arguments.Count - 3));
        }
    }
}
