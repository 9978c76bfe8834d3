using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ControlRoom.Web.Hosting;

public static class RepositorySettings
{
    /// <summary>
    /// The repository keeps its development settings at the top level (appsettings.Development.json); the
    /// build copies it beside the binaries. It is layered where the framework's own development file
    /// would be, so environment variables and the command line still win.
    /// </summary>
    public static void AddRepositoryDevelopmentSettings(this ConfigurationManager configuration, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
            return;
        var sources = (IList<IConfigurationSource>)configuration.Sources;
        var index = sources.Select((s, i) => (s, i))
            .Where(x => x.s is JsonConfigurationSource json && json.Path?.StartsWith("appsettings", StringComparison.Ordinal) == true)
            .Select(x => x.i + 1)
            .DefaultIfEmpty(0)
            .Max();
        var source = new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Path = "appsettings.Development.json",
            Optional = true,
        };
        sources.Insert(index, source);
    }
}
