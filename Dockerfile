# Images for the production topology (docker-compose.yml), each from `dotnet publish`.
# One build stage, three runtime targets: gateway, web, simulator.
#   docker build --target gateway -t controlroom/gateway .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Node builds the MapLibre bundle (wwwroot-assets) during the web's publish.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/ControlRoom.Gateway -c Release -o /out/gateway \
 && dotnet publish src/ControlRoom.Web -c Release -o /out/web \
 && dotnet publish src/ControlRoom.Simulator -c Release -o /out/simulator

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ENV ASPNETCORE_HTTP_PORTS=8080 DOTNET_gcServer=1
USER $APP_UID
WORKDIR /app
EXPOSE 8080

FROM runtime AS gateway
COPY --from=build /out/gateway .
ENTRYPOINT ["dotnet", "ControlRoom.Gateway.dll"]

FROM runtime AS web
COPY --from=build /out/web .
ENTRYPOINT ["dotnet", "ControlRoom.Web.dll"]

FROM runtime AS simulator
COPY --from=build /out/simulator .
ENTRYPOINT ["dotnet", "ControlRoom.Simulator.dll"]
