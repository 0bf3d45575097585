using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>An HTTP/1.1 answer as it came off the socket: status, headers (names lower-cased) and the body, de-chunked.</summary>
public sealed record RawHttpAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>No answer at all: the server closed the connection without one.</summary>
    public bool Dropped => Status == 0;

    public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value.Split(';')[0].Trim() : null;
}

/// <summary>
/// Sends bytes exactly as given, for what HttpClient refuses to send and the in-memory server
/// never sees: bytes above 0x7F in a header or the request line, control characters, charsets.
/// </summary>
public static class RawHttp
{
    private static readonly TimeSpan _readBound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One request on its own connection. <paramref name="head"/> is the request line and header
    /// lines, each character one byte (Latin-1), without the blank line; Host, Connection: close and
    /// Content-Length (with a body) are added.
    /// </summary>
    public static Task<RawHttpAnswer> SendAsync(int port, string head, byte[]? body = null)
    {
        var lines = new StringBuilder(head.TrimEnd('\r', '\n')).Append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if (body is not null)
        {
            lines.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        return SendBytesAsync(port, [.. Encoding.Latin1.GetBytes(lines.Append("\r\n").ToString()), .. body ?? []]);
    }

    public static async Task<RawHttpAnswer> SendBytesAsync(int port, byte[] request)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        return Parse(await ReadToEndAsync(stream));
    }

    /// <summary>Everything the server sends until it closes the connection (or resets it: what arrived before counts).</summary>
    public static async Task<byte[]> ReadToEndAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(_readBound);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
        }

        return received.ToArray();
    }

    private static RawHttpAnswer Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return new RawHttpAnswer(0, new Dictionary<string, string>(), text);
        }

        var lines = text[..end].Split("\r\n");
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .GroupBy(pair => pair[0].Trim().ToLowerInvariant(), pair => pair.Length > 1 ? pair[1].Trim() : string.Empty)
            .ToDictionary(g => g.Key, g => string.Join(", ", g));
        var body = bytes.AsSpan((end + 4)..);
        var content = headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? Dechunk(body)
            : body.ToArray();
        return new RawHttpAnswer(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, Encoding.UTF8.GetString(content));
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked)
    {
        var content = new MemoryStream();
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked[..lineEnd]).Split(';')[0], 16);
            if (size == 0 || chunked.Length < lineEnd + 2 + size)
            {
                break;
            }

            content.Write(chunked.Slice(lineEnd + 2, size));
            chunked = chunked[(lineEnd + 2 + size + 2)..];
        }

        return content.ToArray();
    }
}
