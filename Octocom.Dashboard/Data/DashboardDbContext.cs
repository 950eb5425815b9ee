using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Analytics;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Secrets;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Data;

/// <summary>
/// The one EF Core context. Every <see cref="ITenantOwned"/> entity gets a global query filter on the current
/// <see cref="TenantContext"/>, so tenant scoping is a single mechanism rather than a habit.
/// Add a migration: <c>dotnet ef migrations add Name --project Octocom.Dashboard --output-dir Data/Migrations</c>.
/// </summary>
public class DashboardDbContext(DbContextOptions<DashboardDbContext> options, TenantContext tenant, IDatabaseDialect dialect)
    : IdentityDbContext<ApplicationUser>(options)
{
    /// <summary>What this context's database does differently (date-shape test, GUID order, leases, bulk writes).</summary>
    public IDatabaseDialect Dialect => dialect;

    /// <summary>Read by the query filters on every query (EF parameterises context members).</summary>
    public int? CurrentOrganizationId => tenant.OrganizationId;

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Business> Businesses => Set<Business>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<ConversationMetadata> ConversationMetadata => Set<ConversationMetadata>();
    public DbSet<ConversationTag> Tags => Set<ConversationTag>();
    public DbSet<ConversationEvent> ConversationEvents => Set<ConversationEvent>();
    public DbSet<BrowserSession> BrowserSessions => Set<BrowserSession>();
    public DbSet<PythonFunction> PythonFunctions => Set<PythonFunction>();
    public DbSet<PythonFunctionVersion> PythonFunctionVersions => Set<PythonFunctionVersion>();
    public DbSet<ScriptRun> ScriptRuns => Set<ScriptRun>();
    public DbSet<EventJob> EventJobs => Set<EventJob>();
    public DbSet<ScriptSecret> ScriptSecrets => Set<ScriptSecret>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(DashboardDbContext).Assembly);
        builder.Entity<Organization>().HasIndex(o => o.Slug).IsUnique();
        builder.Entity<ApplicationUser>().HasIndex(u => u.OrganizationId);
        builder.Entity<ApplicationUser>().Property(u => u.DisplayName).HasMaxLength(200);
        builder.Entity<ApplicationUser>().HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId);

        foreach (var entity in builder.Model.GetEntityTypes()
                     .Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType) && e.BaseType is null))
        {
            builder.Entity(entity.ClrType).HasQueryFilter(TenantFilter(entity.ClrType));
            builder.Entity(entity.ClrType).HasOne(typeof(Organization)).WithMany()
                .HasForeignKey(nameof(ITenantOwned.OrganizationId)).OnDelete(DeleteBehavior.Restrict);
        }
    }

    // e => e.OrganizationId == this.CurrentOrganizationId
    private LambdaExpression TenantFilter(Type clrType)
    {
        var e = Expression.Parameter(clrType, "e");
        var orgId = Expression.Convert(Expression.Property(e, nameof(ITenantOwned.OrganizationId)), typeof(int?));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentOrganizationId));
        return Expression.Lambda(Expression.Equal(orgId, current), e);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampTenant();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampTenant();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>New rows default to the current tenant; no scope may write another tenant's rows.</summary>
    private void StampTenant()
    {
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State == EntityState.Added && entry.Entity.OrganizationId == 0 && tenant.OrganizationId is { } org)
                entry.Entity.OrganizationId = org;
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && tenant.OrganizationId is { } current && entry.Entity.OrganizationId != current)
                throw new InvalidOperationException(
                    $"Refusing to write {entry.Metadata.ClrType.Name} of organization {entry.Entity.OrganizationId} from organization {current}.");
        }
    }
}
