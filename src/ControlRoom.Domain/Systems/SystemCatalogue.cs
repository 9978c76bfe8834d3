using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ControlRoom.Domain.Systems;

/// <summary>A catalogue that cannot be used, and why (the file, the system and the field).</summary>
public sealed class CatalogueException(string message) : Exception(message);

/// <summary>
/// The critical systems and their dependency graph (seed-data/systems/critical-systems.json), checked
/// when loaded: unique ids, known dependencies, no cycles. Answers which systems depend on which, and
/// turns the systems' current statuses into root causes and their impact.
/// </summary>
public sealed partial class SystemCatalogue
{
    private readonly Dictionary<string, CriticalSystem> _byId;
    private readonly Dictionary<string, List<string>> _dependants;

    private SystemCatalogue(IReadOnlyList<CriticalSystem> systems)
    {
        Systems = systems;
        _byId = systems.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _dependants = systems.ToDictionary(s => s.Id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var system in systems)
        {
            foreach (var dependency in system.DependsOn)
                _dependants[dependency].Add(system.Id);
        }
    }

    /// <summary>Most critical first, then by name.</summary>
    public IReadOnlyList<CriticalSystem> Systems { get; }

    public CriticalSystem this[string id] => _byId[id];

    public bool Contains(string id) => _byId.ContainsKey(id);

    public static SystemCatalogue Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>seed-data/systems/critical-systems.json as built into this assembly.</summary>
    public static SystemCatalogue Seed()
    {
        using var stream = typeof(SystemCatalogue).Assembly.GetManifestResourceStream("critical-systems.json")
            ?? throw new InvalidOperationException("The seed catalogue is not embedded in ControlRoom.Domain.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "critical-systems.json");
    }

    public static SystemCatalogue Parse(string json, string source = "catalogue")
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException e)
        {
            throw new CatalogueException($"{source}: not valid JSON ({e.Message}).");
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("systems", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new CatalogueException($"{source}: expected an object with a \"systems\" array.");

        var systems = list.EnumerateArray().Select((element, i) => ReadSystem(element, $"{source}, system {i + 1}")).ToList();
        foreach (var duplicate in systems.GroupBy(s => s.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new CatalogueException($"{source}: the id '{duplicate.Key}' is used {duplicate.Count()} times.");
        var ids = systems.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var system in systems)
        {
            foreach (var dependency in system.DependsOn)
            {
                if (dependency == system.Id)
                    throw new CatalogueException($"{source}: '{system.Id}' depends on itself.");
                if (!ids.Contains(dependency))
                    throw new CatalogueException($"{source}: '{system.Id}' depends on '{dependency}', which is not in the catalogue.");
            }
        }
        if (FindCycle(systems) is { } cycle)
            throw new CatalogueException($"{source}: the dependencies go round in a circle: {string.Join(" → ", cycle)}.");
        return new SystemCatalogue([.. systems.OrderBy(s => s.Impact).ThenBy(s => s.Name, StringComparer.Ordinal)]);
    }

    /// <summary>Every system that needs <paramref name="id"/>, directly or through others.</summary>
    public IReadOnlySet<string> DependantsOf(string id)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(_dependants[id]);
        while (pending.TryPop(out var next))
        {
            if (found.Add(next))
                _dependants[next].ForEach(pending.Push);
        }
        return found;
    }

    /// <summary>Every system <paramref name="id"/> needs, directly or through others.</summary>
    public IReadOnlySet<string> DependenciesOf(string id)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(_byId[id].DependsOn);
        while (pending.TryPop(out var next))
        {
            if (found.Add(next))
            {
                foreach (var further in _byId[next].DependsOn)
                    pending.Push(further);
            }
        }
        return found;
    }

    /// <summary>
    /// The root causes of what is down: a down system is a root cause when nothing it depends on is down too;
    /// otherwise it is one more impacted system of the root causes below it. Systems without a status count as
    /// operational; statuses of systems not in the catalogue are ignored.
    /// </summary>
    public ImpactAssessment Assess(IReadOnlyDictionary<string, SystemStatus> statuses)
    {
        bool Down(string id) => statuses.TryGetValue(id, out var status) && status.IsDown();
        var roots = Systems.Where(s => Down(s.Id) && !DependenciesOf(s.Id).Any(Down));
        return new ImpactAssessment([.. roots.Select(root =>
        {
            var dependants = DependantsOf(root.Id);
            var impacted = Systems.Where(s => dependants.Contains(s.Id)).ToList(); // in board order
            var felt = impacted.Prepend(root).ToList();
            return new RootCause(root.Id, statuses[root.Id], [.. impacted.Select(s => s.Id)],
                [.. felt.SelectMany(s => s.Functions).Distinct(StringComparer.Ordinal)], [.. felt.SelectMany(s => s.Areas).Distinct()]);
        })]);
    }

    private static CriticalSystem ReadSystem(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new CatalogueException($"{where}: expected an object.");
        var id = Text(e, "id", where);
        where = $"{where} ('{id}')";
        if (!IdPattern().IsMatch(id))
            throw new CatalogueException($"{where}: the id must be lower-case letters, digits and '-'.");
        var impact = Text(e, "severity", where);
        if (!SystemStatusNames.TryParseImpact(impact, out var parsedImpact))
            throw new CatalogueException($"{where}: severity '{impact}' is not one of critical, high, medium, low.");
        if (!e.TryGetProperty("sla", out var sla) || !sla.TryGetDouble(out var slaValue) || slaValue is <= 0 or > 100)
            throw new CatalogueException($"{where}: sla must be a percentage above 0 and at most 100.");
        var areas = Array(e, "areas", where).Select(a => ReadArea(a, where)).ToList();
        if (areas.Count == 0)
            throw new CatalogueException($"{where}: name at least one area (\"city\" for the whole city).");
        return new CriticalSystem(id, Text(e, "name", where), Text(e, "category", where), Text(e, "owner", where), parsedImpact, slaValue,
            [.. Array(e, "functions", where).Select(f => f.ValueKind == JsonValueKind.String ? f.GetString()! : throw new CatalogueException($"{where}: functions are strings."))],
            areas,
            [.. Array(e, "dependsOn", where).Select(d => d.ValueKind == JsonValueKind.String ? d.GetString()! : throw new CatalogueException($"{where}: dependsOn lists ids."))]);
    }

    private static ImpactArea ReadArea(JsonElement a, string where)
    {
        var kind = a.ValueKind == JsonValueKind.Object && a.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        var reference = a.ValueKind == JsonValueKind.Object && a.TryGetProperty("ref", out var r) ? r.ToString() : null;
        if (!ImpactArea.Kinds.Contains(kind))
            throw new CatalogueException($"{where}: an area's kind must be one of {string.Join(", ", ImpactArea.Kinds)}.");
        if (kind != "city" && string.IsNullOrWhiteSpace(reference))
            throw new CatalogueException($"{where}: a '{kind}' area needs a ref.");
        if (kind == "municipio" && !(int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var municipio) && municipio is >= 1 and <= 9))
            throw new CatalogueException($"{where}: Milan's Municipi are 1 to 9, not '{reference}'.");
        return new ImpactArea(kind, kind == "city" ? null : reference);
    }

    private static string Text(JsonElement e, string name, string where) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new CatalogueException($"{where}: \"{name}\" is required (a non-empty string).");

    private static List<JsonElement> Array(JsonElement e, string name, string where) =>
        !e.TryGetProperty(name, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()]
        : throw new CatalogueException($"{where}: \"{name}\" must be an array.");

    // Depth-first with colours: a grey node met again closes a cycle.
    private static List<string>? FindCycle(IReadOnlyList<CriticalSystem> systems)
    {
        var byId = systems.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        var path = new List<string>();
        List<string>? Visit(string id)
        {
            if (state.TryGetValue(id, out var done))
                return done ? null : [.. path.SkipWhile(p => p != id), id];
            state[id] = false;
            path.Add(id);
            foreach (var dependency in byId[id].DependsOn)
            {
                if (Visit(dependency) is { } cycle)
                    return cycle;
            }
            path.RemoveAt(path.Count - 1);
            state[id] = true;
            return null;
        }
        return systems.Select(s => Visit(s.Id)).FirstOrDefault(c => c is not null);
    }

    [GeneratedRegex(@"^[a-z0-9-]+\z")]
    private static partial Regex IdPattern();
}
