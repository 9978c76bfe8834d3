using System.ComponentModel.DataAnnotations;

namespace ControlRoom.Storage;

/// <summary>
/// Where incidents are kept. PostgreSQL when <c>ConnectionStrings:Postgres</c> is set; otherwise the
/// embedded SQLite file at <see cref="EmbeddedPath"/>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite file; a relative path is taken from the content root.</summary>
    [Required(AllowEmptyStrings = false)]
    public string EmbeddedPath { get; set; } = Path.Combine("App_Data", "controlroom.db");
}
