using System.Security.Cryptography;

namespace Octocom.Dashboard.Conversations;

/// <summary>Short public IDs like "K7QX2M": 6 characters from an alphabet without look-alikes (no 0/O, 1/I).</summary>
public static class PublicIdGenerator
{
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int Length = 6;

    public static string Next() => string.Create(Length, 0, static (span, _) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
    });

    /// <summary>Deterministic variant for seeding reproducible data sets.</summary>
    public static string Next(Random random, int length = Length) => string.Create(length, random, static (span, r) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = Alphabet[r.Next(Alphabet.Length)];
    });
}
