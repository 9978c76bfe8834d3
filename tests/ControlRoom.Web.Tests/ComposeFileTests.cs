using System.Reflection;
using ControlRoom.EventStream;
using ControlRoom.Gateway.Access;
using ControlRoom.Gateway.Hubs;
using ControlRoom.Gateway.Systems;
using ControlRoom.Gateway.Ingest;
using ControlRoom.Simulator;
using ControlRoom.Storage;
using ControlRoom.Tests;
using ControlRoom.Web.GatewayLink;
using ControlRoom.Web.Situation;
using YamlDotNet.RepresentationModel;

namespace ControlRoom.Web.Tests;

/// <summary>
/// There is no Docker engine here, so the production topology is checked the other way round: every
/// setting docker-compose.yml passes must be one the code actually reads, and every address must
/// point at a service and port that exist.
/// </summary>
public class ComposeFileTests
{
    private static readonly YamlMappingNode Services = LoadServices();

    private static YamlMappingNode LoadServices()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docker-compose.yml"))));
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    /// <summary>Every configuration key the code binds: options sections by property, plus connection strings.</summary>
    private static readonly HashSet<string> KnownSettings = new[]
        {
            (EventStreamOptions.Section, typeof(EventStreamOptions)),
            (IngestOptions.Section, typeof(IngestOptions)),
            (SimulatorOptions.Section, typeof(SimulatorOptions)),
            (SituationOptions.Section, typeof(SituationOptions)),
            (GatewayLinkOptions.Section, typeof(GatewayLinkOptions)),
            (HubOptions.Section, typeof(HubOptions)),
            (StorageOptions.Section, typeof(StorageOptions)),
            (SystemsOptions.Section, typeof(SystemsOptions)),
        }
        .SelectMany(o => o.Item2.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => $"{o.Item1}:{p.Name}"))
        .Append("ConnectionStrings:Redis")
        .Append("ConnectionStrings:Postgres")
        .Append(SeedDataFolder.Setting)
        .Append("Map:StyleUrl")
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>ApiKeys:&lt;name&gt;:&lt;ApiKeyOptions property&gt;, lists with their index (ApiKeys:web:Scopes:0).</summary>
    /// <summary>Systems:Probes:N:Property (and Heartbeats, Maintenance): a list entry's property the options bind.</summary>
    private static bool IsSystemsListSetting(string setting) =>
        setting.Split(':') is [SystemsOptions.Section, var list, var index, var property]
        && int.TryParse(index, out _)
        && typeof(SystemsOptions).GetProperty(list)?.PropertyType.GetGenericArguments() is [var item]
        && item.GetProperty(property) is { CanWrite: true };

    private static bool IsApiKeySetting(string setting) =>
        setting.Split(':') is [var section, var name, var property, ..] rest
        && section == ApiKeys.Section && ApiKeys.IsValidName(name)
        && typeof(ApiKeyOptions).GetProperty(property) is { } p
        && (rest.Length == 3 || (rest.Length == 4 && p.PropertyType == typeof(List<string>) && int.TryParse(rest[3], out _)));

    [Fact]
    public void Compose_GivesTheWebAppAndTheSimulatorKeysTheGatewayAccepts_WithoutAnySecretInTheFile()
    {
        Environment("web")["Gateway__Key"].ShouldBe("${CONTROLROOM_WEB_KEY:?set CONTROLROOM_WEB_KEY}");
        Environment("simulator")["Gateway__Key"].ShouldStartWith("${CONTROLROOM_SIMULATOR_KEY:?");
        Environment("gateway")["ApiKeys__web__Hash"].ShouldStartWith("${CONTROLROOM_WEB_KEY_HASH:?");
        Environment("gateway")["ApiKeys__simulator__Hash"].ShouldStartWith("${CONTROLROOM_SIMULATOR_KEY_HASH:?");
        Environment("gateway")["ApiKeys__simulator__MaxVisibility"].ShouldBe("operations");
    }

    private static Dictionary<string, string> Environment(string service) =>
        ((YamlMappingNode)Services[service]).Children.TryGetValue("environment", out var env)
            ? ((YamlMappingNode)env).Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString())
            : [];

    [Fact]
    public void Compose_NamesTheWholeTopology()
    {
        Services.Children.Keys.Select(k => k.ToString()).ShouldBe(["redis", "postgis", "gateway", "web", "simulator"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("web")]
    [InlineData("simulator")]
    public void Compose_PassesOnlySettingsTheCodeReads(string service)
    {
        var settings = Environment(service).Keys.Select(k => k.Replace("__", ":", StringComparison.Ordinal)).ToList();

        settings.ShouldNotBeEmpty();
        settings.Where(s => !KnownSettings.Contains(s) && !IsApiKeySetting(s) && !IsSystemsListSetting(s)).ShouldBeEmpty($"{service} sets something no code reads");
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("web")]
    [InlineData("simulator")]
    public void Compose_BuildsEachServiceFromATargetOfTheDockerfile(string service)
    {
        var build = (YamlMappingNode)((YamlMappingNode)Services[service])["build"];
        var dockerfile = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "Dockerfile"));

        dockerfile.ShouldContain($" AS {build["target"]}\n");
        dockerfile.ShouldContain($"dotnet publish src/ControlRoom.{char.ToUpperInvariant(service[0])}{service[1..]}");
    }

    [Fact]
    public void Compose_AddressesPointAtServicesAndPortsThatExist()
    {
        var dockerfile = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "Dockerfile"));
        dockerfile.ShouldContain("ASPNETCORE_HTTP_PORTS=8080");

        Environment("gateway")["ConnectionStrings__Redis"].ShouldBe("redis:6379");
        foreach (var client in new[] { "web", "simulator" })
        {
            var url = new Uri(Environment(client)["Gateway__Url"]);
            Services.Children.Keys.Select(k => k.ToString()).ShouldContain(url.Host);
            url.Port.ShouldBe(8080);
        }
        // The distributed web must not also run the simulator: the simulator service does.
        Environment("web")["Simulator__Enabled"].ShouldBe("false");
    }

    [Fact]
    public void Compose_KeepsSecretsOutOfTheFile()
    {
        Environment("postgis")["POSTGRES_PASSWORD"].ShouldStartWith("${");
        Environment("web")["ConnectionStrings__Postgres"].ShouldContain("Password=${POSTGRES_PASSWORD");
    }

    [Fact]
    public void Compose_TheWebReachesPostgisByServiceName()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(Environment("web")["ConnectionStrings__Postgres"]);

        Services.Children.Keys.Select(k => k.ToString()).ShouldContain(connection.Host);
        connection.Database.ShouldBe(Environment("postgis")["POSTGRES_DB"]);
        connection.Username.ShouldBe(Environment("postgis")["POSTGRES_USER"]);
    }
}
