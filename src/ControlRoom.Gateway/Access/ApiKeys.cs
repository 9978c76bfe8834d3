using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ControlRoom.Domain.Events;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Access;

/// <summary>
/// One producer's or consumer's key as configured (section "ApiKeys:&lt;name&gt;"): only its SHA-256 hash
/// is kept, never the key. Revoke by setting <see cref="Revoked"/> (configuration reloads) or removing it.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>SHA-256 of the whole key, lower-case hex (what <c>new-api-key</c> prints).</summary>
    public string Hash { get; set; } = "";

    /// <summary>"ingest" (POST /api/events) and/or "subscribe" (the events hub).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Event type prefixes this key may send, e.g. "it.milano.nco.sensor.".</summary>
    public List<string> Types { get; set; } = [];

    /// <summary>The most sensitive visibility this key may send or receive.</summary>
    public string MaxVisibility { get; set; } = "operations";

    /// <summary>Ingest requests per minute; more are answered 429.</summary>
    public int PermitsPerMinute { get; set; } = 600;

    public bool Revoked { get; set; }
}

/// <summary>What a verified key may do.</summary>
public sealed record ApiKeyGrant(string Name, IReadOnlySet<string> Scopes, IReadOnlyList<string> Types, Visibility MaxVisibility, int PermitsPerMinute,
    bool Revocable = true)
{
    public const string Ingest = "ingest";
    public const string Subscribe = "subscribe";

    /// <summary>Why this key may not send <paramref name="e"/>, or null when it may.</summary>
    public string? Refuse(EventEnvelope e) =>
        !Types.Any(prefix => e.Type.StartsWith(prefix, StringComparison.Ordinal)) ? $"The key '{Name}' may not send events of type '{e.Type}'."
        : e.Visibility > MaxVisibility ? $"The key '{Name}' may send events up to '{MaxVisibility.ToWire()}', not '{e.Visibility.ToWire()}'."
        : null;
}

/// <summary>
/// The keys the gateway accepts: those configured (hashed), plus any a process issued itself for its own
/// use (the embedded web app's link to the hub, which lives and dies with the process).
/// Keys look like <c>crk_&lt;name&gt;_&lt;secret&gt;</c>, so the right hash is found without trying them all.
/// </summary>
public sealed class ApiKeys(IOptionsMonitor<Dictionary<string, ApiKeyOptions>> configured)
{
    public const string Section = "ApiKeys";
    private const string Prefix = "crk_";
    private readonly ConcurrentDictionary<string, (string Hash, ApiKeyGrant Grant)> _issued = new();

    public static string New(string name) =>
        $"{Prefix}{name}_{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '-')}";

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool IsValidName(string name) => name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>A key valid for this process's lifetime only, held as a hash like the configured ones.</summary>
    public string Issue(string name, IReadOnlySet<string> scopes, Visibility maxVisibility)
    {
        var key = New(name);
        _issued[name] = (HashOf(key), new ApiKeyGrant(name, scopes, [], maxVisibility, int.MaxValue, Revocable: false));
        return key;
    }

    public ApiKeyGrant? Verify(string? key)
    {
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var separator = key.IndexOf('_', Prefix.Length);
        if (separator < 0)
            return null;
        var name = key[Prefix.Length..separator];
        var (hash, grant) = _issued.TryGetValue(name, out var issued) ? issued : FromConfiguration(name);
        return grant is not null && FixedTimeEquals(hash, HashOf(key)) ? grant : null;
    }

    private (string Hash, ApiKeyGrant? Grant) FromConfiguration(string name)
    {
        if (!configured.CurrentValue.TryGetValue(name, out var o) || o.Revoked || o.Hash.Length != 64
            || !VisibilityNames.TryParse(o.MaxVisibility, out var max))
            return ("", null);
        return (o.Hash.ToLowerInvariant(), new ApiKeyGrant(name, o.Scopes.ToHashSet(StringComparer.Ordinal), [.. o.Types], max, Math.Max(1, o.PermitsPerMinute)));
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
