using System.ComponentModel.DataAnnotations;

namespace ControlRoom.Web.Features.Access;

/// <summary>Sign-in rules for local accounts (section "Accounts").</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>Failed sign-ins in a row that lock an account.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a session lasts from sign-in (a shift), whatever the activity: then sign in again.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a wall screen's session lasts from its device sign-in; deleting the device ends it sooner.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "400.00:00:00")]
    public TimeSpan DeviceSessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often an open screen re-checks its session (expired, password or role changed, account gone).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Revalidation { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sign-in attempts (form posts) per minute from one address; more are answered 429.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerMinute { get; set; } = 30;

    /// <summary>On first start with no accounts, create one demo account per role and print their passwords once.</summary>
    public bool SeedDemoUsers { get; set; } = true;
}
