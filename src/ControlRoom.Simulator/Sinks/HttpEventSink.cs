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
            var status = (int)response.StatusCode;
            // A 4xx about the content cannot succeed on retry; timeouts, throttling and 5xx may.
            if (status is >= 400 and < 500 and not 408 and not 429)
                throw new EventsRejectedException($"{status}: {problem}");
            throw new HttpRequestException($"The gateway could not take a batch ({status}): {problem}");
        }
    }
}
