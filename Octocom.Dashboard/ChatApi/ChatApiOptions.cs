using System.ComponentModel.DataAnnotations;

namespace Octocom.Dashboard.ChatApi;

/// <summary>The public chat API (<c>/api/chat/…</c>) used by the website chat widget. Section "ChatApi".</summary>
public sealed class ChatApiOptions
{
    public const string SectionName = "ChatApi";

    /// <summary>Largest request body accepted, in bytes; larger bodies get 413. Room for a message plus custom data.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests allowed per conversation token in each <see cref="PerTokenWindow"/> (messages and polls).</summary>
    [Range(1, 1_000_000)]
    public int PerTokenPermitLimit { get; set; } = 120;

    public TimeSpan PerTokenWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests allowed per client IP in each <see cref="PerIpWindow"/> (all chat API calls, including starts).</summary>
    [Range(1, 10_000_000)]
    public int PerIpPermitLimit { get; set; } = 600;

    public TimeSpan PerIpWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A conversation token stops opening its conversation after this long without any message in it (the widget then
    /// starts a new conversation with the visitor's next message); zero or less = tokens never expire.
    /// </summary>
    public TimeSpan TokenIdleLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Longest a poll waits for a new message before answering with none (long polling).</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long a business looked up by slug is cached (edits on this instance take effect at once).</summary>
    public TimeSpan BusinessCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pages kept per browser session (the newest ones).</summary>
    [Range(1, 1000)]
    public int MaxPagesPerSession { get; set; } = 50;

    /// <summary>
    /// Queue chat writes in-process so only one is in SQLite's write lock at a time (SQLite has a single writer and
    /// its busy handler sleeps in steps of up to 100 ms). Only databases with a single writer queue at all; a database
    /// with row-level locking never does, whatever this says.
    /// </summary>
    public bool SerializeWrites { get; set; } = true;

    /// <summary>Most customer messages stored in one transaction when many arrive at once (group commit); 1 turns it off.</summary>
    [Range(1, 1000)]
    public int MaxSendBatch { get; set; } = 64;
}
