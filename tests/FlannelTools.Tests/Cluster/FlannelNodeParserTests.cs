using System;
using System.IO;
using System.Linq;
using FlannelTools.Cluster;
using Xunit;

namespace FlannelTools.Tests.Cluster
{
    public class FlannelNodeParserTests
    {
        private static string Data(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "cluster", name));

        private static FlannelNodeParseResult Parse(string file, string prefix = null) =>
            new FlannelNodeParser(prefix == null ? null : FlannelAnnotationNames.Create(prefix)).Parse(Data(file));

        private static FlannelNode Node(FlannelNodeParseResult result, string name) => result.Nodes.Single(n => n.Name == name);

        [Fact]
        public void ReadsEveryNodeOfTheLabsListWithTheWalkthroughsValues()
        {
            FlannelNodeParseResult result = Parse("nodes-healthy.json");

            Assert.Equal(new[] { "master", "node1", "node2" }, result.Nodes.Select(n => n.Name));
            Assert.Empty(result.Problems);
            FlannelNode node2 = Node(result, "node2");
            Assert.Equal("10.244.2.0/24", node2.PodCidr);
            Assert.Equal(new[] { "10.244.2.0/24" }, node2.PodCidrs);
            Assert.Equal("192.168.0.13", node2.InternalAddress);
            Assert.Equal("192.168.0.13", node2.PublicAddress);
            Assert.Null(node2.PublicAddressOverwrite);
            Assert.Null(node2.PublicAddressV6);
            Assert.Equal("vxlan", node2.BackendType);
            Assert.Equal("ee:81:17:b0:fd:7b", node2.VtepMac);
            Assert.Null(node2.VtepMacV6);
            Assert.Equal(1, node2.Vni);
            Assert.True(node2.KubeSubnetManager);
            Assert.True(node2.Ready);
            Assert.Equal("32:73:d8:d1:e9:78", Node(result, "node1").VtepMac);
        }

        [Fact]
        public void KeepsOnlyTheFlannelAnnotationsSortedByName()
        {
            FlannelNode node1 = Node(Parse("nodes-healthy.json"), "node1");

            Assert.Equal(
                new[]
                {
                    "flannel.alpha.coreos.com/backend-data", "flannel.alpha.coreos.com/backend-type",
                    "flannel.alpha.coreos.com/kube-subnet-manager", "flannel.alpha.coreos.com/public-ip",
                },
                node1.Annotations.Keys.Cast<string>());
            Assert.Equal("{\"VNI\":1,\"VtepMAC\":\"32:73:d8:d1:e9:78\"}", node1.Annotations["flannel.alpha.coreos.com/backend-data"]);
            Assert.True(node1.Annotations.IsReadOnly);
        }

        [Fact]
        public void ReadsTheIPv6AnnotationsAndBothPodCidrsOfADualStackLab()
        {
            FlannelNode node2 = Node(Parse("nodes-dual-stack.json"), "node2");

            Assert.Equal("10.244.2.0/24", node2.PodCidr);
            // the lab writes fd10:244:2::/64; the canonical text is what ip -6 route prints
            Assert.Equal(new[] { "10.244.2.0/24", "fd10:244:2::/64" }, node2.PodCidrs);
            Assert.Equal("fd00::13", node2.PublicAddressV6);
            Assert.Equal("ee:81:17:b0:fd:7b", node2.VtepMac);
            Assert.Equal("02:f1:a6:00:00:0d", node2.VtepMacV6);
            Assert.Equal("192.168.0.13", node2.InternalAddress);
        }

        [Fact]
        public void ReadsASingleNodeObject()
        {
            FlannelNodeParseResult result = Parse("node2.json");

            Assert.Equal("node2", Assert.Single(result.Nodes).Name);
            Assert.Equal("ee:81:17:b0:fd:7b", result.Nodes[0].VtepMac);
        }

        [Fact]
        public void ReadsSeveralDocumentsOneAfterTheOther()
        {
            string text = Data("node2.json") + Data("nodes-healthy.json");

            FlannelNodeParseResult result = new FlannelNodeParser().Parse(text);

            Assert.Equal(new[] { "node2", "master", "node1", "node2" }, result.Nodes.Select(n => n.Name));
        }

        [Fact]
        public void ReadsAJsonArrayOfNodes()
        {
            string text = "[" + Data("node2.json") + "]";

            Assert.Equal("node2", Assert.Single(new FlannelNodeParser().Parse(text).Nodes).Name);
        }

        [Fact]
        public void ReturnsANodeWithoutFlannelAnnotationsWithEmptyFieldsAndAWarningNamingIt()
        {
            FlannelNodeParseResult result = Parse("nodes-without-annotations.json");

            Assert.Equal(4, result.Nodes.Count);
            FlannelNode node3 = Node(result, "node3");
            Assert.Null(node3.VtepMac);
            Assert.Null(node3.Vni);
            Assert.Null(node3.PublicAddress);
            Assert.Null(node3.BackendType);
            Assert.False(node3.KubeSubnetManager);
            Assert.False(node3.Ready);
            Assert.Empty(node3.Annotations);
            Assert.Equal("10.244.3.0/24", node3.PodCidr);
            Assert.Equal("192.168.0.14", node3.InternalAddress);
            FlannelNodeProblem problem = Assert.Single(result.Problems);
            Assert.Equal("node3", problem.Node);
            Assert.Contains("'node3' has no flannel annotations", problem.Message);
        }

        [Fact]
        public void LeavesTheVniUnknownWhenOlderFlannelWroteOnlyTheVtepMac()
        {
            FlannelNodeParseResult result = Parse("nodes-old-backend-data.json");

            Assert.Empty(result.Problems);
            Assert.All(result.Nodes, n => Assert.Null(n.Vni));
            Assert.Equal("ee:81:17:b0:fd:7b", Node(result, "node2").VtepMac);
        }

        [Fact]
        public void ReportsThePublicIpAsItStandsAndTheOverwriteBesideIt()
        {
            FlannelNode node2 = Node(Parse("nodes-public-ip-overwrite.json"), "node2");

            Assert.Equal("203.0.113.13", node2.PublicAddress);
            Assert.Equal("203.0.113.13", node2.PublicAddressOverwrite);
            Assert.Equal("192.168.0.13", node2.InternalAddress);
        }

        [Fact]
        public void ReadsAnnotationsUnderACustomPrefix()
        {
            FlannelNodeParseResult result = Parse("nodes-custom-prefix.json", "example.com/net");

            Assert.Empty(result.Problems);
            FlannelNode node2 = Node(result, "node2");
            Assert.Equal("ee:81:17:b0:fd:7b", node2.VtepMac);
            Assert.Equal(1, node2.Vni);
            Assert.Equal("192.168.0.13", node2.PublicAddress);
            Assert.Contains("example.com/net-backend-data", node2.Annotations.Keys.Cast<string>());
        }

        [Fact]
        public void WarnsAboutEveryNodeWhenTheDefaultPrefixDoesNotMatch()
        {
            FlannelNodeParseResult result = Parse("nodes-custom-prefix.json");

            Assert.Equal(3, result.Nodes.Count);
            Assert.Equal(new[] { "master", "node1", "node2" }, result.Problems.Select(p => p.Node));
        }

        [Fact]
        public void NamesEachAnnotationThatDoesNotParseAndKeepsTheRest()
        {
            FlannelNodeParseResult result = Parse("nodes-malformed-annotations.json");

            FlannelNode node1 = Node(result, "node1");
            Assert.Null(node1.VtepMac);
            Assert.Null(node1.Vni);
            Assert.Equal("192.168.0.12", node1.PublicAddress);
            FlannelNode node2 = Node(result, "node2");
            Assert.Null(node2.VtepMac);
            Assert.Equal(1, node2.Vni);
            Assert.Null(node2.PublicAddress);
            FlannelNode master = Node(result, "master");
            Assert.Null(master.Vni);
            Assert.Equal("02:f1:a4:00:00:0b", master.VtepMac);
            Assert.Equal(new[] { "master", "node1", "node2", "node2" }, result.Problems.Select(p => p.Node).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains(result.Problems, p => p.Message.Contains("backend-data is not JSON"));
            Assert.Contains(result.Problems, p => p.Message.Contains("VtepMAC 'ee:81:17:b0:fd' is not a MAC address"));
            Assert.Contains(result.Problems, p => p.Message.Contains("public-ip '192.168.0' is not an IP address"));
            Assert.Contains(result.Problems, p => p.Message.Contains("VNI '16777216'"));
        }

        [Fact]
        public void WritesMacsAndAddressesInTheirCanonicalText()
        {
            const string node = @"{""kind"":""Node"",""metadata"":{""name"":""n"",""annotations"":{
                ""flannel.alpha.coreos.com/backend-data"":""{\""VNI\"":4096,\""VtepMAC\"":\""EE-81-17-B0-FD-7B\""}"",
                ""flannel.alpha.coreos.com/public-ipv6"":""FD00:0:0::13""}},
                ""spec"":{""podCIDR"":""10.244.2.0/24""}}";

            FlannelNode parsed = Assert.Single(new FlannelNodeParser().Parse(node).Nodes);

            Assert.Equal("ee:81:17:b0:fd:7b", parsed.VtepMac);
            Assert.Equal(4096, parsed.Vni);
            Assert.Equal("fd00::13", parsed.PublicAddressV6);
            Assert.Equal(new[] { "10.244.2.0/24" }, parsed.PodCidrs);
            Assert.Null(parsed.Ready);
        }

        [Theory]
        [InlineData("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}", "a 'Pod'")]
        [InlineData("\"text\"", "a string")]
        [InlineData("{\"apiVersion\":\"v1\"}", "an object without a kind")]
        public void RejectsJsonThatIsNotNodes(string text, string described)
        {
            FormatException e = Assert.Throws<FormatException>(() => new FlannelNodeParser().Parse(text));
            Assert.Contains(described, e.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   \n")]
        [InlineData("{\"kind\":\"List\",\"items\":[")]
        [InlineData("NAME STATUS ROLES AGE VERSION")]
        public void RejectsTextThatIsNotJson(string text) =>
            Assert.Throws<FormatException>(() => new FlannelNodeParser().Parse(text));

        [Fact]
        public void SkipsAListItemThatIsNotANodeWithAProblem()
        {
            const string text = "{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}},{\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"}}]}";

            FlannelNodeParseResult result = new FlannelNodeParser().Parse(text);

            Assert.Equal("n", Assert.Single(result.Nodes).Name);
            Assert.Contains(result.Problems, p => p.Node == null && p.Message == "Item 1 of the list is a 'Pod', not a Node; skipped.");
        }

        [Fact]
        public void ReadsAnEmptyList() =>
            Assert.Empty(new FlannelNodeParser().Parse("{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\"}").Nodes);
    }

    public class FlannelAnnotationNamesTests
    {
        [Theory]
        [InlineData("flannel.alpha.coreos.com", "flannel.alpha.coreos.com/backend-type")]
        [InlineData("flannel.alpha.coreos.com/", "flannel.alpha.coreos.com/backend-type")]
        [InlineData("flannel.alpha.coreos.com/prefix", "flannel.alpha.coreos.com/prefix-backend-type")]
        [InlineData("flannel.alpha.coreos.com/prefix-", "flannel.alpha.coreos.com/prefix-backend-type")]
        [InlineData("org.com/9", "org.com/9-backend-type")]
        public void MakesTheNamesAsFlannelDoes(string prefix, string backendType) =>
            Assert.Equal(backendType, FlannelAnnotationNames.Create(prefix).BackendType);

        [Theory]
        [InlineData("org")]
        [InlineData("org/prefix")]
        [InlineData("org.COM")]
        [InlineData("org.com/PREFIX")]
        [InlineData("a.com/b/c")]
        public void RejectsPrefixesFlannelRejects(string prefix) =>
            Assert.Throws<ArgumentException>(() => FlannelAnnotationNames.Create(prefix));
    }

    public class KubectlNodeSourceTests
    {
        [Fact]
        public void AsksForAllNodesAsJson() =>
            Assert.Equal(new[] { "get", "nodes", "-o", "json" }, KubectlNodeSource.Arguments(null, null));

        [Fact]
        public void PassesContextAndKubeconfigAsSeparateArguments() =>
            Assert.Equal(new[] { "get", "nodes", "-o", "json", "--context", "prod cluster", "--kubeconfig", "/home/a b/config" },
                KubectlNodeSource.Arguments("prod cluster", "/home/a b/config"));
    }
}
