using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Octocom.Dashboard.Data;

/// <summary>One column a bulk writer fills: its name, EF's type mapping for it, and the value as EF would store it.</summary>
public sealed class BulkColumn(IProperty property, string name)
{
    private readonly IClrPropertyGetter _getter = property.GetGetter();

    public string Name { get; } = name;
    public RelationalTypeMapping Mapping { get; } = (RelationalTypeMapping)property.GetTypeMapping();

    /// <summary>The property's value after EF's value conversion (e.g. a status enum to its wire name); null for NULL.</summary>
    public object? ProviderValue(object entity)
    {
        var value = _getter.GetClrValueUsingContainingEntity(entity);
        return value is null ? null : Mapping.Converter?.ConvertToProvider(value) ?? value;
    }
}

/// <summary>
/// The table and columns EF maps an entity type to, read from the model, for the dialects' bulk writers (which bypass
/// change tracking but must write what EF would). Integer keys the database generates (identity / rowid) are left out.
/// </summary>
public static class BulkColumns
{
    public static (string Table, IReadOnlyList<BulkColumn> Columns) For(DbContext db, Type clrType)
    {
        var entity = db.Model.FindEntityType(clrType) ?? throw new ArgumentException($"{clrType.Name} is not an entity of the model.", nameof(clrType));
        var table = entity.GetTableName() ?? throw new ArgumentException($"{clrType.Name} is not mapped to a table.", nameof(clrType));
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => !IsDatabaseGeneratedKey(p))
            .Select(p => new BulkColumn(p, p.GetColumnName(store) ?? throw new InvalidOperationException($"{clrType.Name}.{p.Name} has no column.")))
            .ToList();
        return (table, columns);
    }

    private static bool IsDatabaseGeneratedKey(IProperty property) =>
        property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd && property.ClrType is var type
        && (type == typeof(int) || type == typeof(long));
}
