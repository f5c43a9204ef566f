import discord

intents = discord.Intents.default()
client = discord.Client(intents=intents)


@client.event
async def on_ready():
    print(f"logged in as {client.user}")


client.run("ODI0NzA2MjAxNjc0NjM3MzI3Nw.OPOkrV.Y1xQQx8h2lmJxByadGbh1BK6kQ2K-ts91W-EdJ")
