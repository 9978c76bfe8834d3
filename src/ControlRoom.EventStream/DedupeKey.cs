using ControlRoom.Domain.Events;

namespace ControlRoom.EventStream;

/// <summary>CloudEvents are unique by source and id together.</summary>
internal static class DedupeKey
{
    public static string For(EventEnvelope envelope) => envelope.Source + "\n" + envelope.Id;
}
