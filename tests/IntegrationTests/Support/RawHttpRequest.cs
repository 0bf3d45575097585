using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>
/// One HTTP/1.1 request over its own socket, written in steps: the headers with
/// <c>Expect: 100-continue</c> first, the body later. The server's <c>100 Continue</c> proves it
/// has the headers and the application is reading the body, so a test can act at a known point
/// of the request instead of after a guessed delay.
/// </summary>
public sealed class RawHttpRequest : IDisposable
{
    private static readonly TimeSpan _readBound = TimeSpan.FromSeconds(30);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _body;
    private int _sent;

    private RawHttpRequest(TcpClient tcp, byte[] body)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _body = body;
    }

    /// <summary>
    /// Sends the headers, and the first <paramref name="bodyBytesWithHead"/> bytes of the body in
    /// the same write, then waits for the server's <c>100 Continue</c>: the application has started
    /// reading the body and, with those bytes, is waiting for the rest.
    /// </summary>
    public static async Task<RawHttpRequest> StartAsync(int port, string path, string jsonBody, int bodyBytesWithHead = 0)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var request = new RawHttpRequest(tcp, Encoding.UTF8.GetBytes(jsonBody));
        var head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
            $"Content-Length: {request._body.Length}\r\nExpect: 100-continue\r\n\r\n");
        await request._stream.WriteAsync(head.Concat(request._body.Take(bodyBytesWithHead)).ToArray());
        request._sent = bodyBytesWithHead;
        var interim = await request.ReadHeadAsync();
        Assert.That(interim, Does.StartWith("HTTP/1.1 100 "), "the server asks for the body");
        return request;
    }

    /// <summary>Sends the next <paramref name="count"/> bytes of the body.</summary>
    public async Task SendBodyAsync(int count)
    {
        await _stream.WriteAsync(_body.AsMemory(_sent, count));
        _sent += count;
    }

    public Task SendRestOfBodyAsync() => SendBodyAsync(_body.Length - _sent);

    public int BodyLength => _body.Length;

    /// <summary>Reads the whole answer until the server closes the connection; "" if it sent nothing.</summary>
    public async Task<string> ReadAnswerAsync() => Encoding.UTF8.GetString(await RawHttp.ReadToEndAsync(_stream));

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    private async Task<string> ReadHeadAsync()
    {
        using var timeout = new CancellationTokenSource(_readBound);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal)
            && await _stream.ReadAsync(one, timeout.Token) == 1)
        {
            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
