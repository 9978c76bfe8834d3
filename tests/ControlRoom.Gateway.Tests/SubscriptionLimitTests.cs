using Microsoft.AspNetCore.SignalR;

namespace ControlRoom.Gateway.Tests;

public sealed class SubscriptionLimitTests
{
    [Fact]
    public async Task Subscribe_BeyondTheLimit_IsRefusedAndTheFirstKeepsItsPump()
    {
        await using var host = await GatewayHost.StartAsync(null, new() { ["Hub:MaxSubscriptions"] = "1" });
        await using var first = await host.ConnectAsync();

        var error = await Should.ThrowAsync<HubException>(() => host.ConnectAsync());

        error.Message.ShouldContain("Too many subscribed connections");
        await first.InvokeSubscribeAsync(null); // resubscribing the same connection is not a new one
    }
}
