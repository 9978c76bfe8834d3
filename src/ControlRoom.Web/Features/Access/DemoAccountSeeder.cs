using System.Text.Json;
using ControlRoom.Domain.Access;
using ControlRoom.Domain.Audit;
using ControlRoom.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlRoom.Web.Features.Access;

/// <summary>
/// On the first start (no accounts at all), one demo account per role a person or screen signs in with,
/// each with a random password (a device token for the wall screen) printed ONCE to the console: it is stored only as a hash.
/// </summary>
public sealed class DemoAccountSeeder(
    IAccountStore accounts, IPasswordHasher<Account> hasher, IOptions<AccountOptions> options, TimeProvider clock, TextWriter console) : IHostedService
{
    public static readonly IReadOnlyList<(string UserName, string DisplayName, Role Role, string? Function)> Demo =
    [
        ("operatore", "Operatore PL (demo)", Role.PoliceOperator, null),
        ("supervisore", "Supervisore PL (demo)", Role.PoliceSupervisor, null),
        ("coc", "Funzionario COC (demo)", Role.CivilProtection, "F1"),
        ("it", "Operatore IT (demo)", Role.ItOperations, null),
        ("eventi", "Coordinatore eventi (demo)", Role.EventCoordinator, null),
        ("schermo", "Schermo a parete (demo)", Role.WallScreen, null),
        ("admin", "Amministratore (demo)", Role.Administrator, null),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Hashing is slow by design (seven PBKDF2 runs): only when there is nothing yet, not at every start.
        // SeedAccountsAsync still decides for two processes starting at once.
        if (!options.Value.SeedDemoUsers || (await accounts.ListAccountsAsync(cancellationToken)).Count > 0)
            return;
        // The wall screen is a device: it gets a device token, not a password.
        var passwords = Demo.ToDictionary(d => d.UserName, d => d.Role == Role.WallScreen ? Secrets.NewDeviceToken(d.UserName) : Secrets.NewPassword());
        var seed = Demo.Select(d => new Account(d.UserName, d.DisplayName, d.Role, d.Function, hasher.HashPassword(null!, passwords[d.UserName]), Account.NewStamp(), 0, null)).ToList();
        var audit = new AuditEntry(clock.GetUtcNow(), "system", "accounts.seeded", "demo",
            JsonSerializer.Serialize(Demo.Select(d => new { user = d.UserName, role = d.Role.ToCode() })), "localhost");
        if (!await accounts.SeedAccountsAsync(seed, audit, cancellationToken))
            return;

        await console.WriteLineAsync("Utenti dimostrativi creati: password e token sono mostrati SOLO ORA (password: cambiale da /account/password;");
        await console.WriteLineAsync($"il token dello schermo a parete si inserisce in {AccountEndpoints.DevicePath}).");
        foreach (var d in Demo)
            await console.WriteLineAsync($"  {d.UserName,-12} {passwords[d.UserName]}  {d.Role.ToCode()}");
        await console.FlushAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
