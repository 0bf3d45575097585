using System.Buffers;

namespace Paseto.Auth.Api.RequestBodies;

/// <summary>
/// A whole request body in a pooled buffer, cleared when disposed: bodies carry passwords and
/// tokens. Its size is bounded before it is read (<c>Limits:MaxRequestBodyBytes</c>).
/// </summary>
internal readonly struct PooledBody : IDisposable
{
    // Only bounds the first buffer a Content-Length asks for; the limit above refuses larger bodies.
    private const int MaxFirstBuffer = 1024 * 1024;

    private readonly byte[] _buffer;
    private readonly int _length;

    private PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public static async Task<PooledBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 1, MaxFirstBuffer));
        var length = 0;
        try
        {
            int read;
            do
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                length += read;
            }
            while (read > 0);

            return new PooledBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            throw;
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
}
