using System.Net;
using System.Net.Sockets;

namespace ControlRoom.Tests;

public static class TestPorts
{
    /// <summary>A loopback port nothing listens on (taken from the OS, then released): connecting is refused.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
