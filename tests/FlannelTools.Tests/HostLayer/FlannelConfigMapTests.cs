using System;
using System.Collections.Generic;
using System.Linq;
using FlannelTools.HostLayer.FlannelConfig;
using FlannelTools.Native;
using FlannelTools.Cluster;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    public class FlannelConfigMapTests
    {
        [Fact]
        public void Picks_the_net_conf_json_key_of_kube_flannel_cfg_and_names_the_ConfigMap_as_the_source()
        {
            FlannelConfigMap configMap = Assert.Single(FlannelConfigMap.Read(FlannelConfigData.Text("kube-flannel-cfg.json")));

            Assert.Equal("kube-flannel", configMap.Namespace);
            Assert.Equal("kube-flannel-cfg", configMap.Name);
            FlannelNetConf netConf = Assert.Single(configMap.ParseNetConf().Entries);
            Assert.Equal("10.244.0.0/16", netConf.Network);
            Assert.Equal("vxlan", netConf.BackendType);
            Assert.Equal("configmap kube-flannel/kube-flannel-cfg", netConf.Source);
        }

        [Fact]
        public void Reads_every_ConfigMap_of_a_List_in_order()
        {
            IReadOnlyList<FlannelConfigMap> configMaps = FlannelConfigMap.Read(FlannelConfigData.Text("configmaps-app-flannel.json"));

            Assert.Equal(new[] { "configmap kube-flannel/kube-flannel-cfg", "configmap flannel/kube-flannel-cfg" }, configMaps.Select(m => m.Source));
            FlannelNetConf helm = Assert.Single(configMaps[1].ParseNetConf().Entries);
            Assert.Equal(4096, helm.Vni);
            Assert.Equal(4789, helm.EffectivePort);
        }

        [Fact]
        public void A_ConfigMap_without_the_key_gives_a_problem_and_no_net_conf()
        {
            FlannelConfigMap configMap = Assert.Single(FlannelConfigMap.Read("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"other\",\"namespace\":\"default\"},\"data\":{\"a\":\"b\"}}"));

            Assert.Null(configMap.NetConfText);
            Assert.Contains("net-conf.json", Assert.Single(configMap.ParseNetConf().Problems).Message);
        }

        [Fact]
        public void Net_conf_json_itself_is_not_taken_for_a_ConfigMap()
        {
            Assert.Throws<FormatException>(() => FlannelConfigMap.Read(FlannelConfigData.Text("net-conf.json")));
        }

        private sealed class FakeKubectl
        {
            public readonly Dictionary<string, (int exit, string output, string error)> Answers = new Dictionary<string, (int, string, string)>();
            public readonly List<string> Calls = new List<string>();

            public NativeCommandResult Run(IReadOnlyList<string> arguments)
            {
                string line = string.Join(" ", arguments);
                Calls.Add(line);
                var answer = Answers.TryGetValue(line, out var a) ? a : (1, string.Empty, "Error from server (NotFound): configmaps \"kube-flannel-cfg\" not found");
                return new NativeCommandResult("kubectl " + line, answer.Item1, answer.Item2, answer.Item3);
            }
        }

        private const string KubeFlannel = "get configmap kube-flannel-cfg -n kube-flannel -o json";
        private const string KubeSystem = "get configmap kube-flannel-cfg -n kube-system -o json";
        private const string Labelled = "get configmap -A -l app=flannel -o json";
        private const string EmptyList = "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"}}";

        [Fact]
        public void Takes_kube_flannel_first_and_looks_no_further()
        {
            var kubectl = new FakeKubectl();
            kubectl.Answers[KubeFlannel] = (0, FlannelConfigData.Text("kube-flannel-cfg.json"), string.Empty);

            NetConfLookup lookup = KubectlNetConfSource.Find(kubectl.Run, null, null);

            Assert.Equal("configmap kube-flannel/kube-flannel-cfg", lookup.NetConf.Source);
            Assert.Equal(new[] { KubeFlannel }, kubectl.Calls);
        }

        [Fact]
        public void Falls_back_to_kube_system_then_to_the_app_flannel_label_in_any_namespace()
        {
            var kubectl = new FakeKubectl();
            kubectl.Answers[Labelled] = (0, FlannelConfigData.Text("configmaps-app-flannel.json"), string.Empty);

            NetConfLookup lookup = KubectlNetConfSource.Find(kubectl.Run, null, null);

            Assert.Equal(new[] { KubeFlannel, KubeSystem, Labelled }, kubectl.Calls);
            Assert.Equal("configmap kube-flannel/kube-flannel-cfg", lookup.NetConf.Source);
            Assert.Equal(2, lookup.ConfigMaps.Count);
        }

        [Fact]
        public void Passes_context_and_kubeconfig_to_every_kubectl_run()
        {
            var kubectl = new FakeKubectl();

            KubectlNetConfSource.Find(kubectl.Run, "prod", "/k/config");

            Assert.Equal(4, kubectl.Calls.Count);
            Assert.All(kubectl.Calls, l => Assert.EndsWith(" --context prod --kubeconfig /k/config", l));
        }

        [Fact]
        public void Without_any_ConfigMap_on_k3s_the_reason_points_at_k3s_own_file_on_each_node()
        {
            var kubectl = new FakeKubectl();
            kubectl.Answers[Labelled] = (0, EmptyList, string.Empty);
            kubectl.Answers["get nodes -o json"] = (0,
                "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"kind\":\"Node\",\"metadata\":{\"name\":\"server1\"},\"status\":{\"nodeInfo\":{\"kubeletVersion\":\"v1.30.4+k3s1\"}}}]}", string.Empty);

            NetConfLookup lookup = KubectlNetConfSource.Find(kubectl.Run, null, null);

            Assert.Null(lookup.NetConf);
            Assert.Equal("server1", lookup.K3sNode);
            Assert.Contains("/var/lib/rancher/k3s/agent/etc/flannel/net-conf.json", lookup.Reason);
        }

        [Fact]
        public void Without_any_ConfigMap_elsewhere_the_reason_names_what_was_looked_for()
        {
            var kubectl = new FakeKubectl();
            kubectl.Answers[Labelled] = (0, EmptyList, string.Empty);
            kubectl.Answers["get nodes -o json"] = (0, FlannelConfigDataNodes, string.Empty);

            NetConfLookup lookup = KubectlNetConfSource.Find(kubectl.Run, null, null);

            Assert.Null(lookup.NetConf);
            Assert.Null(lookup.K3sNode);
            Assert.Contains("kube-flannel/kube-flannel-cfg", lookup.Reason);
            Assert.Contains("kube-system/kube-flannel-cfg", lookup.Reason);
            Assert.Contains("app=flannel", lookup.Reason);
        }

        private const string FlannelConfigDataNodes =
            "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"kind\":\"Node\",\"metadata\":{\"name\":\"node1\",\"annotations\":{\"flannel.alpha.coreos.com/backend-type\":\"vxlan\"}},\"status\":{\"nodeInfo\":{\"kubeletVersion\":\"v1.22.7\"}}}]}";

        [Fact]
        public void A_k3s_annotation_marks_a_k3s_node_even_with_a_plain_kubelet_version()
        {
            Assert.Equal("agent1", KubectlNetConfSource.FindK3sNode(
                "{\"kind\":\"Node\",\"metadata\":{\"name\":\"agent1\",\"annotations\":{\"k3s.io/node-args\":\"[\\\"agent\\\"]\"}},\"status\":{\"nodeInfo\":{\"kubeletVersion\":\"v1.30.4\"}}}"));
            Assert.Null(KubectlNetConfSource.FindK3sNode(FlannelConfigDataNodes));
        }

        [Fact]
        public void Kubectl_failing_otherwise_than_NotFound_stops_the_search_with_its_message()
        {
            var kubectl = new FakeKubectl();
            kubectl.Answers[KubeFlannel] = (1, string.Empty, "error: You must be logged in to the server (Unauthorized)");

            var e = Assert.Throws<NativeCommandException>(() => KubectlNetConfSource.Find(kubectl.Run, null, null));

            Assert.Equal(NativeCommandFailure.ExitedWithError, e.Failure);
            Assert.Equal(1, e.Result.ExitCode);
            Assert.Contains("Unauthorized", e.Message);
            Assert.Single(kubectl.Calls);
        }

        [Fact]
        public void A_ConfigMap_whose_net_conf_json_is_broken_is_not_passed_over_and_the_reason_says_why()
        {
            var kubectl = new FakeKubectl();
            kubectl.Answers[KubeFlannel] = (0, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kube-flannel-cfg\",\"namespace\":\"kube-flannel\"},\"data\":{\"net-conf.json\":\"{ \\\"Network\\\": \"}}", string.Empty);

            NetConfLookup lookup = KubectlNetConfSource.Find(kubectl.Run, null, null);

            Assert.Null(lookup.NetConf);
            Assert.Single(kubectl.Calls);
            Assert.Contains("configmap kube-flannel/kube-flannel-cfg could not be read", lookup.Reason);
        }
    }
}
