using System.Net.Http.Headers;
using ControlRoom.Domain.Events;

namespace ControlRoom.Simulator.Sinks;

/// <summary>Posts batches to the gateway's POST /api/events, as any external producer would.</summary>
public sealed class HttpEventSink(HttpClient http) : IEventSink
{
    public async Task PublishAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(CloudEventBatch.ToJson(events));
        content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventBatch.MediaType);
        using var response = await http.PostAsync(new Uri("api/events", UriKind.Relative), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"The gateway refused a batch ({(int)response.StatusCode}): {problem}");
        }
    }
}
