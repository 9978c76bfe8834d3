using System.ComponentModel.DataAnnotations;

namespace ControlRoom.Gateway.Ingest;

public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest request body accepted by POST /api/events.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest single event, as JSON text.</summary>
    [Range(256, 16 * 1024 * 1024)]
    public int MaxEventBytes { get; set; } = 64 * 1024;

    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 1_000;
}
