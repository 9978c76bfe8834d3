namespace ControlRoom.Web.Situation;

/// <summary>What the indicator tells operators, derived from the hub connection and the gateway's stream.</summary>
public enum ConnectionStatus
{
    /// <summary>Not yet connected since start.</summary>
    Connecting,

    /// <summary>Connected, subscribed and the gateway reads its stream.</summary>
    Live,

    /// <summary>The connection to the gateway was lost; retrying.</summary>
    Reconnecting,

    /// <summary>The gateway answers but cannot read its stream (Redis down): no new events arrive.</summary>
    StreamDown,
}
