using System.Resources;

// Italian is the neutral language: Strings.resx is Italian, Strings.en.resx English.
[assembly: NeutralResourcesLanguage("it")]
