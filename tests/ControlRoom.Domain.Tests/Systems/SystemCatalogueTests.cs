using ControlRoom.Domain.Systems;
using ControlRoom.Tests;

namespace ControlRoom.Domain.Tests.Systems;

/// <summary>The critical-systems catalogue: the seed file loads, bad files are refused with their reason.</summary>
public sealed class SystemCatalogueTests
{
    public static SystemCatalogue Seed { get; } =
        SystemCatalogue.Load(Path.Combine(TestEnvironment.RepositoryRoot, "seed-data", "systems", "critical-systems.json"));

    [Fact]
    public void TheSeedCatalogue_HoldsTheSystemsOfTheCitysPlan_WithTheirDependencies()
    {
        string[] named = ["side", "anpr", "suse", "tari", "prosa", "fascicolo-cittadino", "portale-web", "crm-020202", "sue", "suap", "suev",
            "geoworks", "wso2-interop", "pdnd-eservices", "edu-api-portal", "data-lake", "digital-twin", "geoportale", "open-data", "pagopa",
            "app-io", "send", "spid-cie", "sap-afc", "appian", "azure-italy-north", "psn", "campus-network", "mix-link", "datacenter-vico",
            "siem", "pam", "video-surveillance", "sctt", "radio", "nco-apps"];

        Seed.Systems.Select(s => s.Id).ShouldBe(named, ignoreOrder: true);
        Seed["side"].DependsOn.ShouldContain("anpr");
        Seed.DependenciesOf("pdnd-eservices").ShouldBe(["wso2-interop", "azure-italy-north"], ignoreOrder: true);
        Seed.Systems.Select(s => s.Impact).ShouldBeInOrder(SortDirection.Ascending); // the board's order: most critical first
        Seed["video-surveillance"].Areas.ShouldBe([new ImpactArea("layer", "cameras")]);
        Seed["sctt"].Areas.ShouldBe([new ImpactArea("layer", "junctions")]);
        Seed["crm-020202"].Areas.ShouldBe([new ImpactArea("layer", "citizen-reports")]);
    }

    [Fact]
    public void TheCatalogueBuiltIntoTheBinaries_IsTheSeedFile() =>
        SystemCatalogue.Seed().Systems.Select(s => (s.Id, s.Impact, string.Join(',', s.DependsOn)))
            .ShouldBe(Seed.Systems.Select(s => (s.Id, s.Impact, string.Join(',', s.DependsOn))));

    [Fact]
    public void Dependants_AreFoundThroughEveryLevel()
    {
        var onAzure = Seed.DependantsOf("azure-italy-north");

        onAzure.ShouldContain("wso2-interop");
        onAzure.ShouldContain("pdnd-eservices"); // through WSO2
        onAzure.ShouldContain("side"); // through PDND
        onAzure.ShouldContain("suev"); // through SUAP and PDND
        onAzure.ShouldNotContain("radio");
        onAzure.ShouldNotContain("azure-italy-north");
    }

    private static string Catalogue(string systems) => $$"""{ "systems": [ {{systems}} ] }""";

    private static string System(string id, string dependsOn = "", string severity = "high", string area = """{ "kind": "city" }""", string sla = "99.5") =>
        $$"""{ "id": "{{id}}", "name": "{{id}}", "category": "test", "owner": "test", "severity": "{{severity}}", "sla": {{sla}}, "functions": [], "areas": [{{area}}], "dependsOn": [{{dependsOn}}] }""";

    public static TheoryData<string, string> Bad => new()
    {
        { "{ not json", "not valid JSON" },
        { """{ "items": [] }""", "\"systems\" array" },
        { Catalogue(System("a") + "," + System("a")), "'a' is used 2 times" },
        { Catalogue(System("a", "\"b\"")), "'a' depends on 'b', which is not in the catalogue" },
        { Catalogue(System("a", "\"a\"")), "'a' depends on itself" },
        { Catalogue(System("a", "\"b\"") + "," + System("b", "\"c\"") + "," + System("c", "\"a\"")), "a → b → c → a" },
        { Catalogue(System("a", severity: "grave")), "severity 'grave'" },
        { Catalogue(System("a", sla: "120")), "sla must be a percentage" },
        { Catalogue(System("A b")), "lower-case letters" },
        { Catalogue(System("a", area: """{ "kind": "municipio", "ref": "12" }""")), "Municipi are 1 to 9" },
        { Catalogue(System("a", area: """{ "kind": "layer" }""")), "needs a ref" },
        { Catalogue(System("a", area: """{ "kind": "quartiere", "ref": "x" }""")), "kind must be one of" },
        { Catalogue("""{ "id": "a", "category": "x", "owner": "x", "severity": "high", "sla": 99, "areas": [{ "kind": "city" }] }"""), "\"name\" is required" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void ABadCatalogue_IsRefused_NamingWhatIsWrong(string json, string reason) =>
        Should.Throw<CatalogueException>(() => SystemCatalogue.Parse(json, "test.json")).Message.ShouldContain(reason);
}
