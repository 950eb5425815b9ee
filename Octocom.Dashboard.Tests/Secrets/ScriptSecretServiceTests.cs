using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Secrets;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Secrets;

public sealed class ScriptSecretServiceTests : TwoTenantTest
{
    private const string Plaintext = "sk_live_Pl41nT3xt-canary-9f8e7d";

    private async Task<T> AsAsync<T>(TestData.Tenant tenant, Func<ScriptSecretService, Task<T>> action, string actor = "alice@a.test")
    {
        await using var scope = App.ScopeFor(tenant.OrganizationId, actor);
        return await action(scope.Get<ScriptSecretService>());
    }

    private Task<List<AuditEntry>> AuditAsync(TestData.Tenant tenant) =>
        App.QueryAsync(tenant.OrganizationId, db => db.AuditEntries.OrderBy(e => e.Id).ToListAsync());

    private static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0
                                                                  || haystack.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;

    [Fact]
    public async Task DatabaseFile_AfterSaving_DoesNotContainThePlaintextValue()
    {
        await AsAsync(Acme, s => s.SetAsync("CRM_API_KEY", Plaintext));

        // Move everything from the write-ahead log into the main file, then read the file's raw bytes.
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={App.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }
        var bytes = await File.ReadAllBytesAsync(App.DatabasePath);
        var wal = App.DatabasePath + "-wal";
        var walBytes = File.Exists(wal) ? await File.ReadAllBytesAsync(wal) : [];

        Assert.True(Contains(bytes, "CRM_API_KEY"), "the secret's row should be in the main database file (control)");
        Assert.False(Contains(bytes, Plaintext), "the plaintext value was found in the database file");
        Assert.False(Contains(walBytes, Plaintext), "the plaintext value was found in the write-ahead log");
        Assert.False(Contains(bytes, Plaintext[..16]), "part of the plaintext value was found in the database file");
    }

    [Fact]
    public async Task GetDecrypted_ReturnsTheValueForTheOwningOrganization()
    {
        await AsAsync(Acme, s => s.SetAsync("CRM_API_KEY", Plaintext));

        var values = await AsAsync(Acme, s => s.GetDecryptedAsync());

        Assert.Equal(Plaintext, values["CRM_API_KEY"]);
    }

    [Fact]
    public void ProtectedForOrganizationA_CannotBeUnprotectedForOrganizationB()
    {
        var provider = App.Services.GetRequiredService<IDataProtectionProvider>();
        var forA = ScriptSecretService.ProtectorFor(provider, Acme.OrganizationId).Protect(Plaintext);

        Assert.Equal(Plaintext, ScriptSecretService.ProtectorFor(provider, Acme.OrganizationId).Unprotect(forA));
        Assert.ThrowsAny<CryptographicException>(() => ScriptSecretService.ProtectorFor(provider, Globex.OrganizationId).Unprotect(forA));
    }

    [Fact]
    public async Task RowCopiedIntoAnotherOrganization_IsUnreadableThereAndNotHandedToScripts()
    {
        await AsAsync(Acme, s => s.SetAsync("CRM_API_KEY", Plaintext));
        await AsAsync(Globex, s => s.SetAsync("CRM_API_KEY", "b's own value"));
        var stolen = await App.QueryAsync(Acme.OrganizationId, db => db.ScriptSecrets.Select(s => s.ProtectedValue).SingleAsync());
        await App.QueryAsync(Globex.OrganizationId, db => db.ScriptSecrets.ExecuteUpdateAsync(u => u.SetProperty(s => s.ProtectedValue, stolen)));

        var values = await AsAsync(Globex, s => s.GetDecryptedAsync());
        var listed = await AsAsync(Globex, s => s.ListAsync());

        Assert.False(values.ContainsKey("CRM_API_KEY"));
        Assert.DoesNotContain(Plaintext, values.Values);
        Assert.False(Assert.Single(listed).Readable);
        Assert.True(Assert.Single(await AsAsync(Acme, s => s.ListAsync())).Readable);
    }

    [Fact]
    public async Task List_ShowsNamesAndWhoUpdatedThem_NeverValues()
    {
        await AsAsync(Acme, s => s.SetAsync("B_KEY", "value-b"));
        await AsAsync(Acme, s => s.SetAsync("A_KEY", "value-a"), actor: "bob@a.test");

        var listed = await AsAsync(Acme, s => s.ListAsync());

        Assert.Equal(["A_KEY", "B_KEY"], listed.Select(s => s.Name));
        Assert.Equal("bob@a.test", listed[0].UpdatedBy);
        Assert.DoesNotContain(typeof(SecretInfo).GetProperties(), p => p.Name.Contains("Value"));
    }

    [Fact]
    public async Task OtherOrganization_CannotListReadReplaceOrDeleteTheSecret()
    {
        await AsAsync(Acme, s => s.SetAsync("CRM_API_KEY", Plaintext));

        Assert.Empty(await AsAsync(Globex, s => s.ListAsync()));
        Assert.Empty(await AsAsync(Globex, s => s.GetDecryptedAsync()));
        Assert.False(await AsAsync(Globex, s => s.ReplaceAsync("CRM_API_KEY", "overwritten")));
        Assert.False(await AsAsync(Globex, s => s.DeleteAsync("CRM_API_KEY")));

        Assert.Equal(Plaintext, (await AsAsync(Acme, s => s.GetDecryptedAsync()))["CRM_API_KEY"]);
    }

    [Fact]
    public async Task SameName_InTwoOrganizations_AreIndependent()
    {
        await AsAsync(Acme, s => s.AddAsync("CRM_API_KEY", "value-a"));
        Assert.True(await AsAsync(Globex, s => s.AddAsync("CRM_API_KEY", "value-b")));

        Assert.Equal("value-a", (await AsAsync(Acme, s => s.GetDecryptedAsync()))["CRM_API_KEY"]);
        Assert.Equal("value-b", (await AsAsync(Globex, s => s.GetDecryptedAsync()))["CRM_API_KEY"]);
    }

    [Fact]
    public async Task Add_ExistingName_ReturnsFalseAndKeepsTheValue()
    {
        Assert.True(await AsAsync(Acme, s => s.AddAsync("CRM_API_KEY", "original")));

        Assert.False(await AsAsync(Acme, s => s.AddAsync("CRM_API_KEY", "second")));

        Assert.Equal("original", (await AsAsync(Acme, s => s.GetDecryptedAsync()))["CRM_API_KEY"]);
    }

    [Fact]
    public async Task Replace_MissingName_ReturnsFalseAndCreatesNothing()
    {
        Assert.False(await AsAsync(Acme, s => s.ReplaceAsync("NOPE", "value")));
        Assert.Empty(await AsAsync(Acme, s => s.ListAsync()));
    }

    [Fact]
    public async Task AddReplaceDelete_AreAuditedByNameWithoutValues()
    {
        await AsAsync(Acme, s => s.AddAsync("CRM_API_KEY", "first-value-123"));
        await AsAsync(Acme, s => s.ReplaceAsync("CRM_API_KEY", "second-value-456"));
        await AsAsync(Acme, s => s.DeleteAsync("CRM_API_KEY"));

        var entries = await AuditAsync(Acme);

        Assert.Equal([AuditActions.Created, AuditActions.Replaced, AuditActions.Deleted], entries.Select(e => e.Action));
        Assert.All(entries, e =>
        {
            Assert.Equal((AuditEntityTypes.ScriptSecret, "CRM_API_KEY", "alice@a.test"), (e.EntityType, e.EntityId, e.UserName));
            Assert.DoesNotContain("first-value-123", e.Summary);
            Assert.DoesNotContain("second-value-456", e.Summary);
        });
        Assert.Empty(await AuditAsync(Globex));
    }

    [Theory]
    [InlineData("CRM_API_KEY", true)]
    [InlineData("_private2", true)]
    [InlineData("2FA_KEY", false)]
    [InlineData("crm-api-key", false)]
    [InlineData("CRM API KEY", false)]
    [InlineData("", false)]
    public void ValidateName_AcceptsIdentifiersOnly(string name, bool valid) =>
        Assert.Equal(valid, ScriptSecretService.ValidateName(name) is null);

    [Fact]
    public void ValidateName_Over100Characters_IsRejected()
    {
        Assert.Null(ScriptSecretService.ValidateName(new string('K', 100)));
        Assert.Contains("at most 100", ScriptSecretService.ValidateName(new string('K', 101)));
    }

    [Fact]
    public void ValidateValue_EmptyOrTooLong_IsRejectedNamingTheLimit()
    {
        Assert.Equal("A secret needs a value.", ScriptSecretService.ValidateValue(""));
        Assert.Null(ScriptSecretService.ValidateValue(new string('v', ScriptSecretService.MaxValueLength)));
        Assert.Contains("10,000", ScriptSecretService.ValidateValue(new string('v', ScriptSecretService.MaxValueLength + 1)));
    }

    [Fact]
    public async Task Set_InvalidName_ThrowsWithTheValidationMessageAndStoresNothing()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => AsAsync(Acme, s => s.SetAsync("bad name", "value")));
        Assert.Contains("letters, digits and underscores", error.Message);
        Assert.Empty(await AsAsync(Acme, s => s.ListAsync()));
    }
}
