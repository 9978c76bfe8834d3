namespace ControlRoom.Gateway.Access;

/// <summary><c>dotnet run --project src/ControlRoom.Gateway -- new-api-key NAME</c>: a new key, shown once, and the configuration that accepts it.</summary>
public static class NewApiKey
{
    public static int Print(string name, TextWriter output)
    {
        if (!ApiKeys.IsValidName(name))
        {
            output.WriteLine("A key name is 1-64 lower-case letters, digits or '-'.");
            return 2;
        }
        var key = ApiKeys.New(name);
        output.WriteLine($"Key (give it to the producer; it is not stored and not shown again):\n  {key}\n");
        output.WriteLine("Gateway configuration (environment variables; scopes, types and ceiling to taste):");
        output.WriteLine($"  ApiKeys__{name}__Hash={ApiKeys.HashOf(key)}");
        output.WriteLine($"  ApiKeys__{name}__Scopes__0={ApiKeyGrant.Ingest}");
        output.WriteLine($"  ApiKeys__{name}__Types__0=it.milano.nco.sensor.");
        output.WriteLine($"  ApiKeys__{name}__MaxVisibility=operations");
        output.WriteLine($"  ApiKeys__{name}__PermitsPerMinute=600");
        output.WriteLine($"Revoke with ApiKeys__{name}__Revoked=true, or by removing its lines.");
        return 0;
    }
}
