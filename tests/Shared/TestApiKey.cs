using System.Security.Cryptography;
using System.Text;

namespace ControlRoom.Tests;

/// <summary>
/// An API key made for one test run, and the gateway settings that accept it (only its hash, as in a
/// deployment). <paramref name="Separator"/> is ":" for in-memory configuration, "__" for environment variables.
/// </summary>
public sealed record TestApiKey(string Name, string Key, IReadOnlyDictionary<string, string?> Settings)
{
    public static TestApiKey Create(string name = "test", string scopes = "ingest,subscribe", string types = "it.milano.nco.",
        string maxVisibility = "confidential", int permitsPerMinute = 100_000, string separator = ":")
    {
        var key = $"crk_{name}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(24))}";
        var prefix = $"ApiKeys{separator}{name}{separator}";
        var settings = new Dictionary<string, string?>
        {
            [prefix + "Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))),
            [prefix + "MaxVisibility"] = maxVisibility,
            [prefix + "PermitsPerMinute"] = permitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (scope, i) in scopes.Split(',').Select((s, i) => (s, i)))
            settings[$"{prefix}Scopes{separator}{i}"] = scope;
        foreach (var (type, i) in types.Split(',').Select((s, i) => (s, i)))
            settings[$"{prefix}Types{separator}{i}"] = type;
        return new TestApiKey(name, key, settings);
    }
}
