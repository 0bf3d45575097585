namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>
/// The statistical timing oracle of DESIGN §3 and §8, as an attacker would measure: pairs of one
/// existing and one unknown name, the two in random order, each timed at the client, many pairs
/// after a warm-up. Where both run the same statements, the existing one is the slower of its
/// pair about half the time.
/// </summary>
public static class TimingPairs
{
    public const int WarmUpPairs = 40;

    /// <summary>The share of pairs in which the existing name answered later than the unknown one.</summary>
    public static async Task<double> KnownSlowerAsync(string path, int pairs, Func<int, string> known, Func<int, string> unknown, int namesEach, Func<string, Task<double>> attempt)
    {
        var random = TestContext.CurrentContext.Random;
        var (knownTimes, unknownTimes) = (new List<double>(), new List<double>());
        for (var pair = -WarmUpPairs; pair < pairs; pair++)
        {
            var (k, u) = (known(random.Next(namesEach)), unknown(random.Next(namesEach)));
            double tk, tu;
            if (random.NextBool())
            {
                tk = await attempt(k);
                tu = await attempt(u);
            }
            else
            {
                tu = await attempt(u);
                tk = await attempt(k);
            }

            if (pair >= 0)
            {
                knownTimes.Add(tk);
                unknownTimes.Add(tu);
            }
        }

        var slower = (double)knownTimes.Zip(unknownTimes).Count(p => p.First > p.Second) / pairs;
        await TestContext.Out.WriteLineAsync(
            $"{path}: existing name slower in {slower:P1} of {pairs} pairs; median {Median(knownTimes):F2} ms existing, {Median(unknownTimes):F2} ms unknown");
        return slower;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
