using System.Runtime.CompilerServices;
using System.Text;

namespace Ferry.Verify.Internal;

/// <summary>
/// <see cref="Lookup3"/> over a text fed in pieces, for values too long to hold whole: the same 64-bit value PostgreSQL's
/// <c>hashtextextended(text, 0)</c> gives the whole text. lookup3 mixes the length in before the first byte, so the
/// text's UTF-8 length is given up front; between pieces only the block state and the last incomplete block are kept.
/// For a database not in UTF-8 it hashes the hex of the UTF-8, as <see cref="CanonicalSql.Hash"/> does.
/// </summary>
internal struct TextHash
{
    /// <summary>Bytes hexed or characters encoded per step (on the stack).</summary>
    const int Chunk = 2048;

    readonly bool _hex;
    readonly long _length;
    uint _a, _b, _c;
    Pending _pending;
    int _pendingCount;
    long _fed;

    [InlineArray(12)]
    struct Pending
    {
        byte _first;
    }

    /// <param name="utf8Length">The UTF-8 length of the whole text.</param>
    /// <param name="utf8Database">The target database is in UTF-8 (else the hex of the UTF-8 is hashed).</param>
    public TextHash(long utf8Length, bool utf8Database)
    {
        _hex = !utf8Database;
        _length = _hex ? utf8Length * 2 : utf8Length;
        _a = _b = _c = Lookup3.Initial(_length);
    }

    /// <summary>The hash of a whole text given as UTF-8.</summary>
    public static long OfUtf8(ReadOnlySpan<byte> utf8, bool utf8Database)
    {
        if (utf8Database)
            return Lookup3.Hash64(utf8);
        var hash = new TextHash(utf8.Length, utf8Database);
        hash.AppendUtf8(utf8);
        return hash.Finish();
    }

    /// <summary>The hash of a whole text given as characters, encoded to UTF-8 a chunk at a time.</summary>
    public static long OfChars(ReadOnlySpan<char> text, bool utf8Database)
    {
        var hash = new TextHash(Encoding.UTF8.GetByteCount(text), utf8Database);
        hash.AppendChars(text);
        return hash.Finish();
    }

    /// <summary>The hash of the lowercase hex digits of <paramref name="bytes"/> (bytea's canonical text), hexed a chunk at a time.</summary>
    public static long OfHexDigits(ReadOnlySpan<byte> bytes, bool utf8Database)
    {
        var hash = new TextHash(bytes.Length * 2L, utf8Database);
        hash.AppendHexDigitsOf(bytes);
        return hash.Finish();
    }

    /// <summary>The next part of the text, as UTF-8.</summary>
    public void AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        if (_hex)
            Hexed(utf8, asText: false);
        else
            Feed(utf8);
    }

    /// <summary>The next part of the text, as characters (a surrogate pair is never split between two calls).</summary>
    public void AppendChars(ReadOnlySpan<char> text)
    {
        Span<byte> utf8 = stackalloc byte[Chunk * 3];
        while (!text.IsEmpty)
        {
            var take = Math.Min(text.Length, Chunk);
            if (take < text.Length && char.IsHighSurrogate(text[take - 1]))
                take--; // The pair goes whole into the next chunk.
            AppendUtf8(utf8[..Encoding.UTF8.GetBytes(text[..take], utf8)]);
            text = text[take..];
        }
    }

    /// <summary>The next part of the text: the lowercase hex digits of <paramref name="bytes"/>.</summary>
    public void AppendHexDigitsOf(ReadOnlySpan<byte> bytes) => Hexed(bytes, asText: true);

    /// <summary>The hex digits of <paramref name="bytes"/>, a chunk at a time: as the text's next part, or straight into lookup3.</summary>
    void Hexed(ReadOnlySpan<byte> bytes, bool asText)
    {
        Span<byte> hex = stackalloc byte[Chunk * 2];
        while (!bytes.IsEmpty)
        {
            var take = Math.Min(bytes.Length, Chunk);
            Convert.TryToHexStringLower(bytes[..take], hex, out var written);
            if (asText)
                AppendUtf8(hex[..written]);
            else
                Feed(hex[..written]);
            bytes = bytes[take..];
        }
    }

    /// <summary>Bytes into lookup3: whole 12-byte blocks are mixed as they complete (PostgreSQL mixes every whole block).</summary>
    void Feed(ReadOnlySpan<byte> bytes)
    {
        _fed += bytes.Length;
        Span<byte> pending = _pending;
        if (_pendingCount > 0)
        {
            var fill = Math.Min(12 - _pendingCount, bytes.Length);
            bytes[..fill].CopyTo(pending[_pendingCount..]);
            _pendingCount += fill;
            bytes = bytes[fill..];
            if (_pendingCount < 12)
                return;
            Lookup3.Block(ref _a, ref _b, ref _c, pending);
            _pendingCount = 0;
        }

        while (bytes.Length >= 12)
        {
            Lookup3.Block(ref _a, ref _b, ref _c, bytes);
            bytes = bytes[12..];
        }

        bytes.CopyTo(pending);
        _pendingCount = bytes.Length;
    }

    /// <summary>The hash, once every byte of the announced length was fed.</summary>
    public long Finish()
    {
        if (_fed != _length)
            throw new InvalidOperationException($"TextHash was announced {_length} bytes and fed {_fed}.");
        Span<byte> pending = _pending;
        return Lookup3.Finish(_a, _b, _c, pending[.._pendingCount]);
    }
}
