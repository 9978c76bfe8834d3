namespace ControlRoom.Simulator;

/// <summary>Finds seed-data: a configured path, else the copy beside the binaries (every build output carries one).</summary>
public static class SeedDataFolder
{
    /// <summary>The one setting for where seed-data is (every service reads it).</summary>
    public const string Setting = "SeedData:Path";

    public static string Resolve(string? configured)
    {
        var path = string.IsNullOrWhiteSpace(configured) ? Path.Combine(AppContext.BaseDirectory, "seed-data") : configured;
        return Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException($"seed-data not found at '{path}'; set {Setting}.");
    }
}
