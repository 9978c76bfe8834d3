namespace ControlRoom.Tests;

/// <summary>
/// The real servers the README's test command starts (scripts/test.sh) and passes in through the
/// environment. A test that needs one fails with this message rather than silently skipping.
/// </summary>
internal static class TestEnvironment
{
    public static string Redis => Required("CONTROLROOM_TEST_REDIS");

    public static string Postgres => Required("CONTROLROOM_TEST_POSTGRES");

    public static string Chromium => Environment.GetEnvironmentVariable("CONTROLROOM_TEST_CHROMIUM") is { Length: > 0 } path
        ? path
        : "/usr/bin/chromium";

    public static string RepositoryRoot { get; } = FindRoot();

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with scripts/test.sh, which starts Redis, PostgreSQL and Chromium.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlRoom.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("ControlRoom.sln not found above the test binaries.");
    }

    /// <summary>A unique, valid stream name so tests sharing one Redis never see each other's events.</summary>
    public static string UniqueStreamName() => "t-" + Guid.NewGuid().ToString("N")[..16];
}
