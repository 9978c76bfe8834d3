using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using ControlRoom.Domain.Access;

namespace ControlRoom.Web.Features.Access;

/// <summary>
/// The secrets handed out once and stored only as hashes: passwords for people, device tokens for wall
/// screens. A device token, <c>crd_&lt;account&gt;_&lt;secret&gt;</c>, carries 160 random bits: it is
/// pasted once into a screen that then stays signed in, and revoked by deleting the device (or replaced).
/// </summary>
public static class Secrets
{
    public const string DeviceTokenPrefix = "crd_";
    private const int DeviceSecretLength = 32; // 32 characters of a 32-letter alphabet: 160 bits
    public const int MaxDeviceTokenLength = 4 + Account.MaxUserNameLength + 1 + DeviceSecretLength;

    // No 0/O, 1/l/I: read off a console or a screen and typed by hand. No '_' either: it ends the account name.
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    /// <summary>A password to be changed by its owner: four groups of four (80 bits).</summary>
    public static string NewPassword() =>
        string.Join('-', Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(Alphabet, 4)));

    public static string NewDeviceToken(string userName) =>
        $"{DeviceTokenPrefix}{userName}_{RandomNumberGenerator.GetString(Alphabet, DeviceSecretLength)}";

    /// <summary>The device account a well-formed token names (it proves nothing until its hash is checked).</summary>
    public static bool TryReadDeviceToken([NotNullWhen(true)] string? token, [NotNullWhen(true)] out string? userName)
    {
        userName = null;
        if (token is not { Length: <= MaxDeviceTokenLength } || !token.StartsWith(DeviceTokenPrefix, StringComparison.Ordinal))
            return false;
        var separator = token.LastIndexOf('_');
        var name = token[DeviceTokenPrefix.Length..Math.Max(DeviceTokenPrefix.Length, separator)];
        if (separator < 0 || token.Length - separator - 1 != DeviceSecretLength || !Account.IsValidUserName(name))
            return false;
        userName = name;
        return true;
    }
}
