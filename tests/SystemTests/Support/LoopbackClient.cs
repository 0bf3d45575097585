using System.Net;
using System.Net.Sockets;

namespace Paseto.Auth.SystemTests.Support;

/// <summary>Clients of a proxy on loopback that each come from an address of their own, as distinct clients do.</summary>
public static class LoopbackClient
{
    /// <summary>A client of <paramref name="baseAddress"/> whose connections come from <paramref name="address"/> (any 127.x address is loopback).</summary>
    public static HttpClient From(string address, Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
}
