namespace ControlRoom.Domain.Audit;

/// <summary>Who acts and from where (the client's address), for timelines and the audit trail.</summary>
public sealed record Actor(string Name, string Origin);
