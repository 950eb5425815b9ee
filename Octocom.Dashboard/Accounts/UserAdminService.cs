using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Accounts;

public sealed record UserRow(string Id, string Email, string DisplayName, string Role, bool IsLockedOut, DateTimeOffset? LockoutEnd,
    bool IsCurrentUser);

public sealed record NewUser(string Email, string DisplayName, string Role, string Password);

/// <summary>The outcome of a user operation: success, or the reasons it was refused (nothing changed then).</summary>
public sealed record UserResult(bool Succeeded, bool NotFound, IReadOnlyList<string> Errors, string? UserId = null)
{
    public static UserResult Ok(string userId) => new(true, false, [], userId);
    public static UserResult Missing() => new(false, true, ["There is no such user in your organization."]);
    public static UserResult Fail(params string[] errors) => new(false, false, errors);
    public static UserResult From(IdentityResult result) =>
        result.Succeeded ? new(true, false, []) : Fail(result.Errors.Select(e => e.Description).ToArray());
    public string ErrorText => string.Join(" ", Errors);
}

/// <summary>
/// Admin-managed users of the current organization. Users are <b>not</b> behind the tenant query filter — sign-in
/// has to find a user by email before any tenant is known, and Identity's own stores query the user table
/// directly — so every method here filters on <see cref="ApplicationUser.OrganizationId"/> explicitly: a user id from
/// another organization behaves exactly like an id that does not exist.
/// Each operation runs in its own DI scope (its own UserManager and DbContext), because a Blazor circuit lives for
/// minutes and Identity's stores would otherwise share one long-lived, change-tracking context across operations.
/// Role changes, locks and password resets rotate the user's security stamp, which ends their other sessions
/// within <see cref="AccountOptions.SessionValidationInterval"/>.
/// </summary>
public sealed class UserAdminService(IServiceScopeFactory scopes, TenantContext tenant, AuditLog audit, TimeProvider clock,
    Conversations.Assignment.AssignmentService assignments)
{
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken ct = default)
    {
        var organizationId = tenant.RequireOrganizationId();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.DashboardDbContext>();
        var users = await db.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId).OrderBy(u => u.Email).ToListAsync(ct);
        var userIds = users.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userIds.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return users.Select(u => new UserRow(u.Id, u.Email ?? u.UserName ?? "", u.DisplayName,
                string.Join(", ", roles.Where(r => r.UserId == u.Id).Select(r => r.Name).Order()),
                u.LockoutEnd is { } end && end > now, u.LockoutEnd, u.Id == tenant.UserId))
            .ToList();
    }

    public async Task<UserResult> CreateAsync(NewUser request, CancellationToken ct = default)
    {
        var organizationId = tenant.RequireOrganizationId();
        var email = request.Email.Trim();
        if (!Roles.All.Contains(request.Role)) return UserResult.Fail($"Unknown role '{request.Role}'. Choose {string.Join(", ", Roles.All)}.");
        if (!System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            return UserResult.Fail($"'{email}' is not a valid email address.");

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        await EnsureRolesAsync(scope.ServiceProvider);
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            OrganizationId = organizationId,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim(),
        };
        // Validate the password first so a weak password never leaves a half-created user behind.
        var passwordErrors = await ValidatePasswordAsync(users, user, request.Password);
        if (passwordErrors.Count > 0) return UserResult.Fail(passwordErrors.ToArray());
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded) return UserResult.From(created);
        var added = await users.AddToRoleAsync(user, request.Role);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return UserResult.From(added);
        }
        await audit.RecordAsync(AuditActions.Created, AuditEntityTypes.User, user.Id, $"Created user {email} with role {request.Role}", ct);
        return UserResult.Ok(user.Id);
    }

    public Task<UserResult> ChangeRoleAsync(string userId, string role, CancellationToken ct = default) =>
        WithUserAsync(userId, forbidSelf: "You cannot change your own role (ask another admin).", ct, async (users, user) =>
        {
            if (!Roles.All.Contains(role)) return UserResult.Fail($"Unknown role '{role}'.");
            var current = await users.GetRolesAsync(user);
            if (current.Count == 1 && current[0] == role) return UserResult.Ok(user.Id);
            var removed = await users.RemoveFromRolesAsync(user, current);
            if (!removed.Succeeded) return UserResult.From(removed);
            var added = await users.AddToRoleAsync(user, role);
            if (!added.Succeeded) return UserResult.From(added);
            await users.UpdateSecurityStampAsync(user);
            await audit.RecordAsync(AuditActions.RoleChanged, AuditEntityTypes.User, user.Id,
                $"Changed the role of {user.Email} from {(current.Count == 0 ? "none" : string.Join(", ", current))} to {role}", ct);
            return UserResult.Ok(user.Id);
        });

    /// <summary>Locks the user out indefinitely (until unlocked) or unlocks them (and clears their failed attempts).</summary>
    public Task<UserResult> SetLockedAsync(string userId, bool locked, CancellationToken ct = default) =>
        WithUserAsync(userId, forbidSelf: locked ? "You cannot lock your own account." : null, ct, async (users, user) =>
        {
            var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
            if (!result.Succeeded) return UserResult.From(result);
            if (locked) await users.UpdateSecurityStampAsync(user);
            else await users.ResetAccessFailedCountAsync(user);
            await audit.RecordAsync(locked ? AuditActions.Locked : AuditActions.Unlocked, AuditEntityTypes.User, user.Id,
                $"{(locked ? "Locked" : "Unlocked")} user {user.Email}", ct);
            return UserResult.Ok(user.Id);
        });

    public Task<UserResult> ResetPasswordAsync(string userId, string newPassword, CancellationToken ct = default) =>
        WithUserAsync(userId, forbidSelf: "Change your own password on the Change password page.", ct, async (users, user) =>
        {
            var passwordErrors = await ValidatePasswordAsync(users, user, newPassword);
            if (passwordErrors.Count > 0) return UserResult.Fail(passwordErrors.ToArray());
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var result = await users.ResetPasswordAsync(user, token, newPassword); // also rotates the security stamp
            if (!result.Succeeded) return UserResult.From(result);
            await audit.RecordAsync(AuditActions.PasswordReset, AuditEntityTypes.User, user.Id, $"Reset the password of {user.Email}", ct);
            return UserResult.Ok(user.Id);
        });

    public Task<UserResult> DeleteAsync(string userId, CancellationToken ct = default) =>
        WithUserAsync(userId, forbidSelf: "You cannot delete your own account.", ct, async (users, user) =>
        {
            // Their conversations go back to Unassigned, visibly on each timeline, before the account disappears.
            await assignments.ReleaseAllAsync(user.Id, ct);
            var result = await users.DeleteAsync(user);
            if (!result.Succeeded) return UserResult.From(result);
            await audit.RecordAsync(AuditActions.Deleted, AuditEntityTypes.User, user.Id, $"Deleted user {user.Email}", ct);
            return UserResult.Ok(user.Id);
        });

    /// <summary>Makes sure the three roles exist (a production database without demo data starts with none).</summary>
    public static async Task EnsureRolesAsync(IServiceProvider services)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
    }

    private async Task<UserResult> WithUserAsync(string userId, string? forbidSelf, CancellationToken ct,
        Func<UserManager<ApplicationUser>, ApplicationUser, Task<UserResult>> operation)
    {
        var organizationId = tenant.RequireOrganizationId();
        if (forbidSelf is not null && userId == tenant.UserId) return UserResult.Fail(forbidSelf);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.Users.FirstOrDefaultAsync(u => u.Id == userId && u.OrganizationId == organizationId, ct);
        return user is null ? UserResult.Missing() : await operation(users, user);
    }

    private static async Task<List<string>> ValidatePasswordAsync(UserManager<ApplicationUser> users, ApplicationUser user, string? password)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(password)) return ["A password is required."];
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors.Select(e => e.Description));
        }
        return errors;
    }
}
