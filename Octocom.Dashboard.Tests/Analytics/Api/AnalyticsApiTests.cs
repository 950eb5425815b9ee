using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Octocom.Dashboard.Tests.Analytics.Api;

/// <summary>The dashboard on Kestrel with demo data plus 3,000 bulk conversations in the demo organization.</summary>
public sealed class AnalyticsApiFixture : IAsyncLifetime
{
    public const int BulkConversations = 3_000;
    public DashboardServer Server { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Server = new DashboardServer(new Dictionary<string, string?> { ["Analytics:KeyListCacheDuration"] = "00:00:00" });
        await Server.Services.GetRequiredService<BulkConversationSeeder>().SeedAsync(BulkConversations, 10, "demo");
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Conversations of an organization with key = value, counted directly (the expectation for the API).</summary>
    public async Task<int> CountAsync(int organizationId, string key, string value)
    {
        await using var scope = Server.ScopeFor(organizationId);
        await using var db = scope.Db();
        return await db.ConversationMetadata.CountAsync(m => m.Key == key && m.Value == value);
    }
}

public sealed class AnalyticsApiTests(AnalyticsApiFixture fixture) : IClassFixture<AnalyticsApiFixture>
{
    private const string Plan = "chat-widget:plan";
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private string BaseUrl => fixture.Server.BaseUrl;

    private static object PlanQuery(string value, string? segment = null) => new
    {
        filter = new { conditions = new[] { new { key = Plan, @operator = "eq", values = new[] { value } } } },
        segment,
        pageSize = 10,
    };

    [Fact]
    public async Task Query_Anonymous_Is401()
    {
        using var client = FormLoginHttpClient.Anonymous(BaseUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/analytics/query", PlanQuery("pro"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/analytics/conversations.csv")).StatusCode);
    }

    [Fact]
    public async Task Query_Agent_Is403()
    {
        using var client = await FormLoginHttpClient.SignInAsync(BaseUrl, "agent@demo.octocom.local");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/analytics/query", PlanQuery("pro"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/analytics/keys")).StatusCode);
    }

    [Fact]
    public async Task Query_Manager_ReturnsCountPageAndSegments()
    {
        using var client = await FormLoginHttpClient.SignInAsync(BaseUrl, "manager@demo.octocom.local");
        var response = await client.PostAsJsonAsync("/api/analytics/query", PlanQuery("enterprise", "chat-widget:utm_source"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        var expected = await fixture.CountAsync(1, Plan, "enterprise");
        Assert.True(expected > 100);
        Assert.Equal(expected, json.GetProperty("total").GetInt32());
        Assert.Equal(10, json.GetProperty("rows").GetArrayLength());
        var row = json.GetProperty("rows")[0];
        Assert.Equal("enterprise", row.GetProperty("metadata").GetProperty(Plan).GetString());
        Assert.False(string.IsNullOrEmpty(row.GetProperty("publicId").GetString()));
        var segments = json.GetProperty("segments");
        Assert.Equal("chat-widget:utm_source", segments.GetProperty("key").GetString());
        Assert.Equal(expected, segments.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("conversations").GetInt32()));
        Assert.Contains(segments.GetProperty("rows").EnumerateArray(), r => r.GetProperty("kind").GetString() == "Value");
    }

    [Fact]
    public async Task QueryFromUrl_SameFilter_SameAnswerAsPost()
    {
        using var client = await FormLoginHttpClient.SignInAsync(BaseUrl, "admin@demo.octocom.local");
        var query = new AnalyticsQuery
        {
            Filter = new AnalyticsFilter
            {
                Conditions = [new() { Key = Plan, Operator = "eq", Values = ["pro", "enterprise"] }, new() { Key = "chat-widget:cart_value", Operator = "gt", Values = ["100"] }],
                Statuses = ["open", "closed"],
            },
        };
        var posted = await (await client.PostAsJsonAsync("/api/analytics/query", query, Web)).Content.ReadFromJsonAsync<JsonElement>();
        var fromUrl = await client.GetFromJsonAsync<JsonElement>("/api/analytics/query?" + AnalyticsQueryString.Encode(query));
        Assert.True(posted.GetProperty("total").GetInt32() > 0);
        Assert.Equal(posted.GetProperty("total").GetInt32(), fromUrl.GetProperty("total").GetInt32());
        Assert.Equal(posted.GetProperty("rows").ToString(), fromUrl.GetProperty("rows").ToString());
    }

    [Fact]
    public async Task Query_InvalidFilter_Is400WithEveryProblem()
    {
        using var client = await FormLoginHttpClient.SignInAsync(BaseUrl, "manager@demo.octocom.local");
        var response = await client.PostAsJsonAsync("/api/analytics/query", new
        {
            filter = new
            {
                conditions = new object[]
                {
                    new { key = Plan, @operator = "like", values = new[] { "x" } },
                    new { key = "chat-widget:cart_value", @operator = "between", values = new[] { "10" } },
                },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("Unknown operator 'like'", errors.GetProperty("Filter.Conditions[0].Operator")[0].GetString());
        Assert.Contains("needs exactly two values", errors.GetProperty("Filter.Conditions[1].Values")[0].GetString());

        var fromUrl = await client.GetAsync("/api/analytics/query?c0.key=x&c0.op=gt&c0.v=abc&page=two");
        Assert.Equal(HttpStatusCode.BadRequest, fromUrl.StatusCode);
        var urlErrors = (await fromUrl.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").ToString();
        Assert.Contains("'abc' is not a number", urlErrors);
        Assert.Contains("'page' must be a whole number.", urlErrors);
    }

    [Fact]
    public async Task Query_OtherOrganization_SeesOnlyItsOwnData()
    {
        using var globex = await FormLoginHttpClient.SignInAsync(BaseUrl, "manager@globex.example");
        var json = await globex.GetFromJsonAsync<JsonElement>("/api/analytics/query?c0.key=chat-widget%3Aplan&c0.op=exists&size=200");
        await using var scope = fixture.Server.ScopeFor(2);
        await using var db = scope.Db();
        var globexIds = await db.Conversations.Select(c => c.PublicId).ToListAsync();
        var expected = await db.ConversationMetadata.CountAsync(m => m.Key == Plan);
        Assert.Equal(expected, json.GetProperty("total").GetInt32());
        Assert.All(json.GetProperty("rows").EnumerateArray(), r => Assert.Contains(r.GetProperty("publicId").GetString(), globexIds));
        var keys = await globex.GetFromJsonAsync<JsonElement>("/api/analytics/keys");
        var demoPlanCount = await fixture.CountAsync(1, Plan, "enterprise");
        Assert.All(keys.EnumerateArray(), k => Assert.True(k.GetProperty("conversations").GetInt32() < demoPlanCount));
    }

    [Fact]
    public async Task ConversationsCsv_AllMatches_StreamsEveryRowWithColumns()
    {
        using var client = await FormLoginHttpClient.SignInAsync(BaseUrl, "manager@demo.octocom.local");
        var expected = (await client.GetFromJsonAsync<JsonElement>("/api/analytics/query?c0.key=chat-widget%3Aplan&c0.op=exists&size=1"))
            .GetProperty("total").GetInt32();
        Assert.True(expected > AnalyticsApiFixture.BulkConversations);

        using var response = await client.GetAsync("/api/analytics/conversations.csv?c0.key=chat-widget%3Aplan&c0.op=exists&sort=id",
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("public_id,url,subject,business,status,channel,created_at,last_activity_at,message_count,handed_off_at,closed_at,chat-widget:plan",
            lines[0]);
        Assert.Equal(expected, lines.Length - 1);
        var first = lines[1].Split(',');
        Assert.Equal($"{BaseUrl}/conversations/{first[0]}", first[1]);
        Assert.Contains(first[^1], new[] { "free", "starter", "pro", "enterprise", "standard", "member-plus" });
    }

    [Fact]
    public async Task SegmentsCsv_WithAndWithoutSegment()
    {
        using var client = await FormLoginHttpClient.SignInAsync(BaseUrl, "manager@demo.octocom.local");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/analytics/segments.csv?c0.key=chat-widget%3Aplan&c0.op=exists")).StatusCode);

        var csv = await client.GetStringAsync("/api/analytics/segments.csv?segment=chat-widget%3Acart_value&buckets=1");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("key,segment,kind,lower,upper,conversations,share,handed_off,handoff_rate,closed,close_rate,median_messages", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("chat-widget:cart_value,(none),none,,,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",bucket,1,2,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeysAndValues_ListWhatExists()
    {
        using var client = await FormLoginHttpClient.SignInAsync(BaseUrl, "manager@demo.octocom.local");
        var keys = await client.GetFromJsonAsync<JsonElement>("/api/analytics/keys");
        var plan = keys.EnumerateArray().Single(k => k.GetProperty("key").GetString() == Plan);
        Assert.True(plan.GetProperty("conversations").GetInt32() > AnalyticsApiFixture.BulkConversations);
        var values = await client.GetFromJsonAsync<string[]>("/api/analytics/values?key=chat-widget%3Aplan&prefix=ent") ?? [];
        Assert.Equal(["enterprise"], values);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/analytics/values?key=")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DocumentsTheAnalyticsEndpoints()
    {
        using var client = FormLoginHttpClient.Anonymous(BaseUrl);
        var document = await client.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/analytics/query", "/api/analytics/conversations.csv", "/api/analytics/segments.csv", "/api/analytics/keys" })
            Assert.Contains($"\"{path}\"", document);
        Assert.Contains("AnalyticsQuery", document);
    }
}
