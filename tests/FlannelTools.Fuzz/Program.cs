using System;
using System.IO;
using SharpFuzz;

namespace FlannelTools.Fuzz
{
    /// <summary>
    /// afl-fuzz's target: <c>afl-fuzz -i seeds -o findings -- dotnet FlannelTools.Fuzz.dll</c>, after
    /// <c>sharpfuzz FlannelTools.dll</c> instrumented a copy (bench/fuzz/fuzz.sh does both). With <c>--replay FILE...</c>
    /// it runs the files once each outside afl, to reproduce a crash; <c>--seeds DIR</c> writes the seed corpus.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length >= 2 && args[0] == "--replay")
            {
                for (int i = 1; i < args.Length; i++)
                {
                    byte[] input = File.ReadAllBytes(args[i]);
                    Console.WriteLine($"{args[i]}: {FuzzTargets.For(input).Name}");
                    FuzzTargets.Run(input);
                }
                return 0;
            }
            if (args.Length >= 2 && args[0] == "--seeds")
            {
                // --seeds DATA-DIR OUT-DIR [GROUP]
                int n = SeedCorpus.Write(args[1], args[2], args.Length > 3 ? args[3] : null);
                Console.WriteLine($"{n} seeds written to {args[2]}");
                return 0;
            }
            Fuzzer.Run(stream =>
            {
                using (var memory = new MemoryStream())
                {
                    stream.CopyTo(memory);
                    FuzzTargets.Run(memory.ToArray());
                }
            });
            return 0;
        }
    }
}
