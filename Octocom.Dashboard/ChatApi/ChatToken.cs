using System.Security.Cryptography;
using System.Text;

namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// The conversation token: 32 random bytes, base64url. Only its SHA-256 (hex) is stored in
/// <c>Conversation.ChatTokenHash</c>, so a database copy cannot be used to write into conversations.
/// </summary>
public static class ChatToken
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Constant-time comparison of the presented token's hash with the stored one.</summary>
    public static bool Matches(string? presented, string? storedHash)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(storedHash) || presented.Length > 200) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
    }

    /// <summary>
    /// Whether the presented token opens a conversation whose last message was at <paramref name="lastActivityAt"/>:
    /// it must match, and the conversation must have been active within <paramref name="idleLifetime"/> (≤ 0: no limit).
    /// </summary>
    public static bool Opens(string? presented, string? storedHash, DateTime lastActivityAt, DateTime now, TimeSpan idleLifetime) =>
        (idleLifetime <= TimeSpan.Zero || now - lastActivityAt <= idleLifetime) && Matches(presented, storedHash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
