using ControlRoom.Domain.Access;
using static ControlRoom.Storage.Tests.IncidentSamples;

namespace ControlRoom.Storage.Tests;

/// <summary>The accounts part of the contract: seeding once, lockout counting, password changes, each audited.</summary>
public abstract partial class IncidentStoreContract
{
    private IAccountStore Accounts => (IAccountStore)Store;

    private static Account Demo(string userName, Role role, string? function = null) =>
        new(userName, $"{userName} (demo)", role, function, "hash-" + userName, Account.NewStamp(), 0, null);

    private async Task<IReadOnlyList<string>> AuditActionsAsync() =>
        [.. (await Store.ReadAuditAsync(new AuditQuery(), Ct)).Select(r => r.Entry.Action)];

    [Fact]
    public async Task SeedAccounts_WritesOnlyIntoAnEmptyTable_AndKeepsEveryField()
    {
        await Store.MigrateAsync(Ct);
        var coc = Demo("coc", Role.CivilProtection, "F7");

        (await Accounts.SeedAccountsAsync([Demo("operatore", Role.PoliceOperator), coc], Audited("accounts.seeded"), Ct)).ShouldBeTrue();
        (await Accounts.SeedAccountsAsync([Demo("intruso", Role.Administrator)], Audited("accounts.seeded"), Ct)).ShouldBeFalse();

        (await Accounts.ListAccountsAsync(Ct)).Select(a => a.UserName).ShouldBe(["coc", "operatore"]);
        (await ((IAccountStore)OpenAnotherStore()).FindAccountAsync("coc", Ct)).ShouldBe(coc);
        (await Accounts.FindAccountAsync("intruso", Ct)).ShouldBeNull();
        (await AuditActionsAsync()).ShouldBe(["accounts.seeded"]);
    }

    [Fact]
    public async Task FailedSignIns_LockTheAccountAtTheLimit_ThenCountAgain_AndAreAllAudited()
    {
        await Store.MigrateAsync(Ct);
        await Accounts.SeedAccountsAsync([Demo("operatore", Role.PoliceOperator)], Audited(), Ct);
        var until = new DateTimeOffset(2026, 11, 22, 8, 45, 0, TimeSpan.Zero); // whole microseconds, as PostgreSQL keeps them

        for (var i = 1; i < 3; i++)
        {
            var counted = await Accounts.RecordFailedSignInAsync("operatore", 3, until, Audited("auth.sign-in-failed"), Ct);
            (counted!.FailedSignIns, counted.LockedUntil).ShouldBe((i, null));
        }
        var locked = await Accounts.RecordFailedSignInAsync("operatore", 3, until, Audited("auth.sign-in-failed"), Ct);
        (locked!.FailedSignIns, locked.LockedUntil).ShouldBe((0, until));
        locked.IsLockedAt(until.AddTicks(-10)).ShouldBeTrue();
        locked.IsLockedAt(until).ShouldBeFalse();

        (await Accounts.RecordFailedSignInAsync("nessuno", 3, until, Audited("auth.sign-in-failed"), Ct)).ShouldBeNull();
        (await Accounts.RecordSignInAsync("operatore", until.AddSeconds(-1), Audited("auth.signed-in"), Ct)).ShouldBeFalse(); // still locked: nothing written
        (await Accounts.RecordSignInAsync("operatore", until, Audited("auth.signed-in"), Ct)).ShouldBeTrue();
        await Accounts.RecordFailedSignInAsync("operatore", 3, until, Audited("auth.sign-in-failed"), Ct);
        (await Accounts.FindAccountAsync("operatore", Ct))!.FailedSignIns.ShouldBe(1); // a success restarted the count
        (await AuditActionsAsync()).Count(a => a == "auth.sign-in-failed").ShouldBe(5);
        (await AuditActionsAsync()).Count(a => a == "auth.signed-in").ShouldBe(1);
        (await Store.VerifyAuditAsync(Ct)).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task ParallelFailedSignIns_EachCount()
    {
        await Store.MigrateAsync(Ct);
        await Accounts.SeedAccountsAsync([Demo("operatore", Role.PoliceOperator)], Audited(), Ct);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            ((IAccountStore)OpenAnotherStore()).RecordFailedSignInAsync("operatore", 100, T0, Audited("auth.sign-in-failed"), Ct)));

        (await Accounts.FindAccountAsync("operatore", Ct))!.FailedSignIns.ShouldBe(12);
    }

    [Fact]
    public async Task SetPassword_ReplacesHashAndStamp_AndUnlocks()
    {
        await Store.MigrateAsync(Ct);
        var before = Demo("operatore", Role.PoliceOperator);
        await Accounts.SeedAccountsAsync([before], Audited(), Ct);
        await Accounts.RecordFailedSignInAsync("operatore", 1, T0.AddHours(1), Audited(), Ct);

        (await Accounts.SetPasswordAsync("operatore", "reset-hash", mustChange: true, Audited("account.password-reset"), Ct)).ShouldBeTrue();
        (await Accounts.FindAccountAsync("operatore", Ct))!.MustChangePassword.ShouldBeTrue();
        (await Accounts.SetPasswordAsync("operatore", "new-hash", mustChange: false, Audited("account.password-changed"), Ct)).ShouldBeTrue();
        (await Accounts.SetPasswordAsync("nessuno", "new-hash", mustChange: false, Audited("account.password-changed"), Ct)).ShouldBeFalse();

        var after = (await Accounts.FindAccountAsync("operatore", Ct))!;
        (after.PasswordHash, after.LockedUntil, after.FailedSignIns, after.MustChangePassword).ShouldBe(("new-hash", null, 0, false));
        after.Stamp.ShouldNotBe(before.Stamp);
        (await AuditActionsAsync()).Count(a => a == "account.password-changed").ShouldBe(1);
    }

    [Fact]
    public async Task AccountChanges_AreRolledBack_WhenTheAuditCannotBeWritten()
    {
        await Store.MigrateAsync(Ct);
        await Accounts.SeedAccountsAsync([Demo("operatore", Role.PoliceOperator)], Audited(), Ct);
        await BreakAuditWritesAsync();

        await Should.ThrowAsync<Exception>(() => Accounts.RecordFailedSignInAsync("operatore", 5, T0, Audited(), Ct));
        await Should.ThrowAsync<Exception>(() => Accounts.SetPasswordAsync("operatore", "new-hash", false, Audited(), Ct));
        await Should.ThrowAsync<Exception>(() => Accounts.SetRoleAsync("operatore", Role.PoliceOperator, Role.Administrator, null, Audited(), Ct));
        await Should.ThrowAsync<Exception>(() => Accounts.CreateAccountAsync(Demo("nuovo", Role.PoliceOperator), Audited(), Ct));
        await Should.ThrowAsync<Exception>(() => Accounts.DeleteAccountAsync("operatore", Role.PoliceOperator, Audited(), Ct));

        var account = (await Accounts.FindAccountAsync("operatore", Ct))!;
        (account.FailedSignIns, account.PasswordHash, account.Role).ShouldBe((0, "hash-operatore", Role.PoliceOperator));
        (await Accounts.ListAccountsAsync(Ct)).Select(a => a.UserName).ShouldBe(["operatore"]);
    }

    [Fact]
    public async Task CreateAccount_RefusesATakenName_AndKeepsEveryField()
    {
        await Store.MigrateAsync(Ct);
        var screen = Demo("schermo-sala", Role.WallScreen) with { LockedUntil = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero), MustChangePassword = true };

        (await Accounts.CreateAccountAsync(screen, Audited("account.created"), Ct)).ShouldBeTrue();
        (await Accounts.CreateAccountAsync(Demo("schermo-sala", Role.Administrator), Audited("account.created"), Ct)).ShouldBeFalse();

        (await ((IAccountStore)OpenAnotherStore()).FindAccountAsync("schermo-sala", Ct)).ShouldBe(screen);
        (await AuditActionsAsync()).ShouldBe(["account.created"]);
    }

    [Fact]
    public async Task SetRole_ChangesRoleFunctionAndStamp_OnlyOfThatAccount()
    {
        await Store.MigrateAsync(Ct);
        var before = Demo("operatore", Role.PoliceOperator);
        var other = Demo("altro", Role.PoliceOperator);
        await Accounts.SeedAccountsAsync([before, other], Audited(), Ct);

        (await Accounts.SetRoleAsync("operatore", Role.PoliceOperator, Role.CivilProtection, "F3", Audited("account.role-changed"), Ct)).ShouldBeTrue();
        (await Accounts.SetRoleAsync("operatore", Role.PoliceOperator, Role.Administrator, null, Audited("account.role-changed"), Ct)).ShouldBeFalse(); // no longer what was seen
        (await Accounts.SetRoleAsync("nessuno", Role.PoliceOperator, Role.Administrator, null, Audited("account.role-changed"), Ct)).ShouldBeFalse();

        var after = (await Accounts.FindAccountAsync("operatore", Ct))!;
        (after.Role, after.SupportFunction, after.PasswordHash).ShouldBe((Role.CivilProtection, "F3", before.PasswordHash));
        after.Stamp.ShouldNotBe(before.Stamp);
        (await Accounts.FindAccountAsync("altro", Ct)).ShouldBe(other);
        (await AuditActionsAsync()).Count(a => a == "account.role-changed").ShouldBe(1);
    }

    [Fact]
    public async Task Unlock_LiftsTheLock_AndDelete_RemovesOnlyThatAccount()
    {
        await Store.MigrateAsync(Ct);
        await Accounts.SeedAccountsAsync([Demo("operatore", Role.PoliceOperator), Demo("altro", Role.ItOperations)], Audited(), Ct);
        await Accounts.RecordFailedSignInAsync("operatore", 1, T0.AddHours(1), Audited(), Ct);

        (await Accounts.UnlockAsync("operatore", Audited("account.unlocked"), Ct)).ShouldBeTrue();
        var unlocked = (await Accounts.FindAccountAsync("operatore", Ct))!;
        (unlocked.LockedUntil, unlocked.FailedSignIns).ShouldBe((null, 0));
        (await Accounts.UnlockAsync("nessuno", Audited("account.unlocked"), Ct)).ShouldBeFalse();

        (await Accounts.DeleteAccountAsync("altro", Role.PoliceOperator, Audited("account.deleted"), Ct)).ShouldBeFalse(); // its role is another
        (await Accounts.DeleteAccountAsync("operatore", Role.PoliceOperator, Audited("account.deleted"), Ct)).ShouldBeTrue();
        (await Accounts.DeleteAccountAsync("operatore", Role.PoliceOperator, Audited("account.deleted"), Ct)).ShouldBeFalse();
        (await Accounts.ListAccountsAsync(Ct)).Select(a => a.UserName).ShouldBe(["altro"]);
        (await AuditActionsAsync()).Count(a => a is "account.unlocked" or "account.deleted").ShouldBe(2);
        (await Store.VerifyAuditAsync(Ct)).Intact.ShouldBeTrue();
    }
}
