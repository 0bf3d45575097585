using System.Net;
using System.Net.Sockets;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>Free TCP ports on the loopback interface, for servers a test starts itself.</summary>
public static class LoopbackPort
{
    /// <summary>A port the kernel has just given out and taken back: nothing listens on it.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A free port from <paramref name="first"/> up, below the kernel's ephemeral range (32768 and
    /// up), for a process that is restarted on the same port: no outgoing connection can be given
    /// it while the process is down.
    /// </summary>
    public static int FreeBelowEphemeralRange(int first, IReadOnlyCollection<int> skip)
    {
        for (var port = first; port < 32768; port++)
        {
            if (skip.Contains(port))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"No free port from {first} below 32768.");
    }
}
