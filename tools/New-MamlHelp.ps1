#Requires -Version 7.2
<#
.SYNOPSIS
    Writes the module's MAML help (what Get-Help reads) and its markdown reference (docs/<Cmdlet>.md) from the
    cmdlets' C# doc comments.
.DESCRIPTION
    Loads the built assembly, finds every public non-abstract type with [Cmdlet], and reads the compiler's XML
    documentation file:
      class <summary>              synopsis
      class <remarks>              description (<para> makes paragraphs)
      class <example>              one example each: <code> is the command, <para> (or text) says what it does
      class <seealso>              related links: href="docs/page.md" (a page of docs/, which ships in the
                                   module's folder) or cref="OtherCommand" (another cmdlet)
      parameter property <summary> the parameter's description
      output type <summary>        the description of what the cmdlet returns ([OutputType])
    Parameter sets, positions, pipeline binding, aliases and wildcards come from the compiled cmdlet, as
    PowerShell itself sees it. A cmdlet without a synopsis, description or example, or a parameter without a
    description, is an error: the script lists every one and exits 1, so the build fails.
    -OutputPath writes the MAML file; -MarkdownPath writes one <Cmdlet>.md per cmdlet into a folder, in the shape
    platyPS gives (and PSResourceGet kept in its help/ folder): front matter, SYNOPSIS, SYNTAX, DESCRIPTION,
    EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS. docs/ holds what -MarkdownPath writes, and
    tests/pester/Help.Tests.ps1 fails when the two differ.
    Runs in a process of its own (build.ps1 starts one), since it loads the assembly.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/New-MamlHelp.ps1 -AssemblyPath out/FlannelTools/FlannelTools.dll -DocumentationPath out/FlannelTools/FlannelTools.xml -OutputPath out/FlannelTools/en-US/FlannelTools.dll-Help.xml
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/New-MamlHelp.ps1 -AssemblyPath out/FlannelTools/FlannelTools.dll -DocumentationPath out/FlannelTools.xml -MarkdownPath docs

    Writes docs/<Cmdlet>.md again after a build (build.ps1 keeps the XML documentation as out/FlannelTools.xml).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $AssemblyPath,
    [Parameter(Mandatory)] [string] $DocumentationPath,
    [string] $OutputPath,
    [string] $MarkdownPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
if (-not $OutputPath -and -not $MarkdownPath) { throw 'Give -OutputPath (the MAML file), -MarkdownPath (the folder of <Cmdlet>.md), or both.' }

$MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$CommandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$DevNs = 'http://schemas.microsoft.com/maml/dev/2004/10'

# Parameters PowerShell adds that are not declared by the cmdlet; Get-Help states the common ones itself.
$CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
$OptionalCommonDescriptions = @{
    WhatIf         = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm        = 'Prompts you for confirmation before running the cmdlet.'
    UseTransaction = 'Includes the command in the active transaction.'
}

#region doc comments

# Where a property is first declared (an override counts where its base declares it): base classes first, then the
# order of declaration.
function Get-DeclarationOrder([System.Reflection.PropertyInfo] $Property) {
    $accessor = $Property.GetMethod.GetBaseDefinition()
    $declaring = $accessor.DeclaringType
    $depth = 0
    for ($t = $declaring; $t; $t = $t.BaseType) { $depth++ }
    $first = $declaring.GetProperty($Property.Name, [System.Reflection.BindingFlags]'Public, Instance, DeclaredOnly')
    '{0:D3}{1:D10}' -f $depth, $first.MetadataToken
}

# The documentation ID of a type: T:Namespace.Outer.Inner (nested types are joined with '.', not '+').
function Get-DocTypeName([type] $Type) {
    $name = if ($Type.IsGenericType) { $Type.GetGenericTypeDefinition().FullName } else { $Type.FullName }
    $name.Replace('+', '.')
}

# The short name a <see cref> shows: T:A.B.Type -> Type, M:A.B.Type.Method(System.String) -> Method, Foo`1 -> Foo.
function Get-CrefShortName([string] $Cref) {
    $name = $Cref -replace '^[A-Z]:', '' -replace '\(.*\)$', '' -replace '``?\d+', '' -replace '\{.*\}$', ''
    $name.Split('.')[-1]
}

# Collapses whitespace the way the compiler's XML keeps the comment's line breaks and indentation.
function Format-DocText([string] $Text) {
    ($Text -replace '\s+', ' ').Trim()
}

# The paragraphs of a doc comment element: <para> and <code> start their own paragraphs; <c>, <see>, <paramref>
# and <typeparamref> become their text; lists become one paragraph an item.
function Get-DocParagraph([System.Xml.XmlNode] $Node) {
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Text.StringBuilder]::new()
    $flush = {
        $text = Format-DocText $current.ToString()
        if ($text) { $paragraphs.Add($text) }
        $null = $current.Clear()
    }
    $inline = $null
    $inline = {
        param([System.Xml.XmlNode] $n)
        switch ($n.NodeType) {
            'Text' { return $n.Value }
            'CDATA' { return $n.Value }
            'Whitespace' { return ' ' }
            'SignificantWhitespace' { return ' ' }
            'Element' {
                switch ($n.LocalName) {
                    { $_ -in 'see', 'seealso' } {
                        if ($n.InnerText.Trim()) { return (Format-DocText $n.InnerText) }
                        if ($n.Attributes['cref']) { return (Get-CrefShortName $n.Attributes['cref'].Value) }
                        if ($n.Attributes['langword']) { return $n.Attributes['langword'].Value }
                        if ($n.Attributes['href']) { return $n.Attributes['href'].Value }
                        return ''
                    }
                    { $_ -in 'paramref', 'typeparamref' } { return $n.Attributes['name'].Value }
                    default {
                        $sb = [System.Text.StringBuilder]::new()
                        foreach ($child in $n.ChildNodes) { $null = $sb.Append((& $inline $child)) }
                        return $sb.ToString()
                    }
                }
            }
        }
        ''
    }
    foreach ($child in $Node.ChildNodes) {
        if ($child.NodeType -eq 'Element' -and $child.LocalName -in 'para', 'code', 'list', 'br') {
            & $flush
            switch ($child.LocalName) {
                'para' { $inner = Get-DocParagraph $child; foreach ($p in $inner) { $paragraphs.Add($p) } }
                'code' { $code = Format-DocCode $child.InnerText; if ($code) { $paragraphs.Add($code) } }
                'list' {
                    foreach ($item in $child.SelectNodes('item')) {
                        $text = Format-DocText (& $inline $item)
                        if ($text) { $paragraphs.Add("- $text") }
                    }
                }
            }
        }
        else {
            $null = $current.Append((& $inline $child))
        }
    }
    & $flush
    , $paragraphs.ToArray()
}

# A <code> block: its lines as written, without the comment's common indentation and blank edges.
function Format-DocCode([string] $Text) {
    $lines = @(($Text -replace "`r", '') -split "`n")
    while ($lines.Count -gt 0 -and -not $lines[0].Trim()) { $lines = @($lines | Select-Object -Skip 1) }
    while ($lines.Count -gt 0 -and -not $lines[-1].Trim()) { $lines = @($lines | Select-Object -SkipLast 1) }
    if ($lines.Count -eq 0) { return '' }
    $indent = ($lines | Where-Object { $_.Trim() } | ForEach-Object { $_.Length - $_.TrimStart().Length } | Measure-Object -Minimum).Minimum
    ($lines | ForEach-Object { if ($_.Length -ge $indent) { $_.Substring($indent).TrimEnd() } else { $_.TrimEnd() } }) -join "`n"
}

function Get-DocMember([string] $Id) {
    $script:DocMembers[$Id]
}

#endregion

#region types

# How a type reads in help: String[], Nullable[Int32], FlannelTools.VxlanFrame (Full).
function Get-TypeDisplayName([type] $Type, [switch] $Full) {
    if ($Type.IsArray) { return (Get-TypeDisplayName $Type.GetElementType() -Full:$Full) + '[' + (',' * ($Type.GetArrayRank() - 1)) + ']' }
    if ($Type.IsGenericType) {
        $definition = $Type.GetGenericTypeDefinition()
        $name = if ($Full) { $definition.FullName } else { $definition.Name }
        $name = $name -replace '`\d+$', ''
        $arguments = $Type.GetGenericArguments() | ForEach-Object { Get-TypeDisplayName $_ -Full:$Full }
        return "$name[$($arguments -join ', ')]"
    }
    if ($Full) { $Type.FullName.Replace('+', '.') } else { $Type.Name }
}

#endregion

#region MAML writing

function Write-Para([System.Xml.XmlWriter] $Writer, [string[]] $Paragraph) {
    if (-not $Paragraph) { $Paragraph = @('') }
    foreach ($p in $Paragraph) { $Writer.WriteElementString('maml', 'para', $MamlNs, $p) }
}

function Write-Description([System.Xml.XmlWriter] $Writer, [string[]] $Paragraph) {
    $Writer.WriteStartElement('maml', 'description', $MamlNs)
    Write-Para $Writer $Paragraph
    $Writer.WriteEndElement()
}

function Get-PipelineInputText([bool] $ByValue, [bool] $ByPropertyName) {
    if ($ByValue -and $ByPropertyName) { 'True (ByPropertyName, ByValue)' }
    elseif ($ByValue) { 'True (ByValue)' }
    elseif ($ByPropertyName) { 'True (ByPropertyName)' }
    else { 'False' }
}

# One parameter as a syntax item or as an entry of the parameters section.
function Write-Parameter {
    param(
        [System.Xml.XmlWriter] $Writer,
        [pscustomobject] $Parameter,
        [bool] $Required,
        [string] $Position,
        [string] $PipelineInput,
        [switch] $InSyntax
    )
    $Writer.WriteStartElement('command', 'parameter', $CommandNs)
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Parameter.Type.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Parameter.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $PipelineInput)
    $Writer.WriteAttributeString('position', $Position)
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $MamlNs, $Parameter.Name)
    Write-Description $Writer $Parameter.Description
    $isSwitch = $Parameter.Type -eq [System.Management.Automation.SwitchParameter]
    if (-not ($InSyntax -and $isSwitch)) {
        $Writer.WriteStartElement('command', 'parameterValue', $CommandNs)
        $Writer.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', $Parameter.Type.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString((Get-TypeDisplayName $Parameter.Type))
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $DevNs)
    $Writer.WriteElementString('maml', 'name', $MamlNs, (Get-TypeDisplayName $Parameter.Type -Full))
    $Writer.WriteElementString('maml', 'uri', $MamlNs, '')
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $DevNs, $(if ($isSwitch) { 'False' } else { 'None' }))
    $Writer.WriteEndElement()
}

function Write-TypeEntry([System.Xml.XmlWriter] $Writer, [string] $Element, [string] $TypeName, [string[]] $Paragraph) {
    $Writer.WriteStartElement('command', $Element, $CommandNs)
    $Writer.WriteStartElement('dev', 'type', $DevNs)
    $Writer.WriteElementString('maml', 'name', $MamlNs, $TypeName)
    $Writer.WriteEndElement()
    Write-Description $Writer $Paragraph
    $Writer.WriteEndElement()
}

function Format-Position([int] $Position) {
    if ($Position -eq [int]::MinValue) { 'named' } else { [string]$Position }
}

#endregion

#region read the cmdlets

$AssemblyPath = (Resolve-Path -LiteralPath $AssemblyPath).ProviderPath
$DocumentationPath = (Resolve-Path -LiteralPath $DocumentationPath).ProviderPath

# Whitespace between inline elements (<c>a</c> <see .../>) is text the reader needs.
$documentation = [System.Xml.XmlDocument]::new()
$documentation.PreserveWhitespace = $true
$documentation.Load($DocumentationPath)
$script:DocMembers = @{}
foreach ($member in $documentation.doc.members.member) { $script:DocMembers[$member.name] = $member }

# Importing the assembly as a module gives PowerShell's own view of each cmdlet's parameter sets.
$module = Import-Module -Name $AssemblyPath -PassThru -DisableNameChecking
$assembly = $module.ImplementingAssembly
if (-not $assembly) { $assembly = [System.Reflection.Assembly]::LoadFrom($AssemblyPath) }

$types = try { $assembly.GetTypes() } catch [System.Reflection.ReflectionTypeLoadException] { $_.Exception.Types | Where-Object { $_ } }
$cmdletTypes = @($types | Where-Object {
        $_.IsPublic -and -not $_.IsAbstract -and $_.IsDefined([System.Management.Automation.CmdletAttribute], $false)
    } | Sort-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" })

$problems = [System.Collections.Generic.List[string]]::new()
if ($cmdletTypes.Count -eq 0) { $problems.Add("no public non-abstract type with [Cmdlet] in $AssemblyPath.") }
$commands = foreach ($type in $cmdletTypes) {
    $attribute = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
    $name = "$($attribute.VerbName)-$($attribute.NounName)"
    $typeId = 'T:' + (Get-DocTypeName $type)
    $doc = Get-DocMember $typeId

    $synopsis = if ($doc -and $doc['summary']) { Get-DocParagraph $doc['summary'] } else { @() }
    $description = if ($doc -and $doc['remarks']) { Get-DocParagraph $doc['remarks'] } else { @() }
    if (-not $synopsis) { $problems.Add("${name} ($($type.FullName)): no <summary> (the synopsis) in its doc comment ($typeId).") }
    if (-not $description) { $problems.Add("${name} ($($type.FullName)): no <remarks> (the description) in its doc comment ($typeId).") }

    $examples = @(if ($doc) {
            foreach ($example in $doc.SelectNodes('example')) {
                $codeNode = $example.SelectSingleNode('code')
                $code = if ($codeNode) { Format-DocCode $codeNode.InnerText } else { '' }
                $remarkNode = $example.Clone()
                foreach ($c in @($remarkNode.SelectNodes('code'))) { $null = $remarkNode.RemoveChild($c) }
                $remarks = Get-DocParagraph $remarkNode
                [pscustomobject]@{ Code = $code; Remarks = @($remarks) }
            }
        })
    if (-not $examples) { $problems.Add("${name} ($($type.FullName)): no <example> in its doc comment ($typeId).") }
    for ($i = 0; $i -lt $examples.Count; $i++) {
        if (-not $examples[$i].Code) { $problems.Add("${name}: example $($i + 1) has no <code> (the command).") }
        if (-not $examples[$i].Remarks) { $problems.Add("${name}: example $($i + 1) has no <para> saying what it does.") }
    }

    $commandInfo = Get-Command -Name $name -Module $module.Name -CommandType Cmdlet -ErrorAction SilentlyContinue |
        Where-Object { $_.ImplementingType -eq $type } | Select-Object -First 1
    if (-not $commandInfo) { throw "${name}: Import-Module '$AssemblyPath' did not make a cmdlet of $($type.FullName)." }

    # The declared parameters, in the order the classes declare them, a base class's (-Path, -LiteralPath) first;
    # common parameters are Get-Help's business.
    $parameters = [ordered]@{}
    foreach ($property in $type.GetProperties([System.Reflection.BindingFlags]'Public, Instance') | Sort-Object { Get-DeclarationOrder $_ }) {
        if (-not $property.IsDefined([System.Management.Automation.ParameterAttribute], $true)) { continue }
        $propertyId = 'P:' + (Get-DocTypeName $property.DeclaringType) + '.' + $property.Name
        $propertyDoc = Get-DocMember $propertyId
        $parameterDescription = if ($propertyDoc -and $propertyDoc['summary']) { Get-DocParagraph $propertyDoc['summary'] } else { @() }
        if (-not $parameterDescription) { $problems.Add("${name} -$($property.Name): no <summary> (the parameter's description) in its doc comment ($propertyId).") }
        $aliases = @($property.GetCustomAttributes([System.Management.Automation.AliasAttribute], $true) | ForEach-Object AliasNames)
        $validateSet = $property.GetCustomAttributes([System.Management.Automation.ValidateSetAttribute], $true) | Select-Object -First 1
        $valueType = [Nullable]::GetUnderlyingType($property.PropertyType) ?? $property.PropertyType
        if ($valueType.IsArray) { $valueType = $valueType.GetElementType() }
        $acceptedValues = @(if ($validateSet) { $validateSet.ValidValues } elseif ($valueType.IsEnum) { [enum]::GetNames($valueType) })
        $parameters[$property.Name] = [pscustomobject]@{
            Name           = $property.Name
            Type           = $property.PropertyType
            Globbing       = $property.IsDefined([System.Management.Automation.SupportsWildcardsAttribute], $true)
            Aliases        = $aliases
            AcceptedValues = $acceptedValues
            Description    = $parameterDescription
        }
    }
    foreach ($optional in $commandInfo.Parameters.Keys) {
        if ($OptionalCommonDescriptions.Contains($optional) -and -not $parameters.Contains($optional)) {
            $parameters[$optional] = [pscustomobject]@{
                Name = $optional; Type = [System.Management.Automation.SwitchParameter]; Globbing = $false
                Aliases = @($commandInfo.Parameters[$optional].Aliases); AcceptedValues = @()
                Description = @($OptionalCommonDescriptions[$optional])
            }
        }
    }

    # Parameter sets as PowerShell binds them, the default set first.
    $sets = @($commandInfo.ParameterSets | Sort-Object { -not $_.IsDefault })
    $syntax = foreach ($set in $sets) {
        $members = @($set.Parameters | Where-Object { $parameters.Contains($_.Name) -and $_.Name -notin $CommonParameters })
        $positional = @($members | Where-Object Position -ne ([int]::MinValue) | Sort-Object Position)
        $named = @($members | Where-Object Position -eq ([int]::MinValue) | Sort-Object { -not $_.IsMandatory })
        [pscustomobject]@{ Name = $set.Name; Parameters = @($positional + $named) }
    }

    # Each parameter once, with what holds in the sets it belongs to.
    $entries = foreach ($parameter in $parameters.Values) {
        $inSets = @($sets | ForEach-Object { $_.Parameters | Where-Object Name -eq $parameter.Name })
        $perSet = @(foreach ($set in $sets) {
                foreach ($p in @($set.Parameters | Where-Object Name -eq $parameter.Name)) {
                    [pscustomobject]@{
                        Set = $set.Name; Required = $p.IsMandatory; Position = Format-Position $p.Position
                        PipelineInput = Get-PipelineInputText $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName
                    }
                }
            })
        $positions = @($inSets | ForEach-Object { Format-Position $_.Position } | Select-Object -Unique)
        [pscustomobject]@{
            Parameter     = $parameter
            Required      = $inSets.Count -gt 0 -and -not ($inSets | Where-Object { -not $_.IsMandatory })
            Position      = $(if ($positions.Count -eq 1) { $positions[0] } elseif ($positions) { ($positions | Where-Object { $_ -ne 'named' } | Select-Object -First 1) } else { 'named' })
            PipelineInput = Get-PipelineInputText ([bool]($inSets | Where-Object ValueFromPipeline)) ([bool]($inSets | Where-Object ValueFromPipelineByPropertyName))
            PerSet        = $perSet
        }
    }

    # What can be piped in, and what comes out.
    $inputs = @($entries | Where-Object PipelineInput -ne 'False' | Group-Object { Get-TypeDisplayName $_.Parameter.Type -Full } | ForEach-Object {
            $how = $_.Group | ForEach-Object {
                $binding = $_.PipelineInput -replace '^True \((.*)\)$', '$1' -replace 'ByPropertyName', 'by property name' -replace 'ByValue', 'by value'
                "-$($_.Parameter.Name) ($binding)"
            }
            [pscustomobject]@{ Type = $_.Name; Description = @("You can pipe $($_.Name -replace '\[\]$', '') values to this cmdlet: they bind to $($how -join ' and ').") }
        })
    $outputs = @($type.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $true) | ForEach-Object Type | ForEach-Object {
            $outputType = $_.Type
            $outputDescription = if ($outputType) {
                $outputDoc = Get-DocMember ('T:' + (Get-DocTypeName $outputType))
                if ($outputDoc -and $outputDoc['summary']) { Get-DocParagraph $outputDoc['summary'] }
            }
            [pscustomobject]@{ Type = $(if ($outputType) { Get-TypeDisplayName $outputType -Full } else { $_.Name }); Description = @($outputDescription) }
        })

    # The syntax as PowerShell prints it (Get-Command -Syntax), one line a parameter set.
    $syntaxText = @(foreach ($set in $sets) {
            [pscustomobject]@{ Name = $set.Name; IsDefault = $set.IsDefault; Text = "$name $($set.ToString())" }
        })

    # <seealso href="docs/page.md">text</seealso> and <seealso cref="T:...Command"/> beside the summary.
    $links = @(if ($doc) {
            foreach ($seealso in $doc.SelectNodes('seealso')) {
                $href = if ($seealso.Attributes['href']) { $seealso.Attributes['href'].Value }
                $cref = if ($seealso.Attributes['cref']) { $seealso.Attributes['cref'].Value }
                if (-not $href -and -not $cref) { $problems.Add("${name}: a <seealso> without href or cref."); continue }
                [pscustomobject]@{ Text = (Format-DocText $seealso.InnerText); Href = $href; Cref = $cref }
            }
        })

    [pscustomobject]@{
        Name = $name; Verb = $attribute.VerbName; Noun = $attribute.NounName; TypeId = $typeId
        Synopsis = $synopsis; Description = $description; Examples = $examples
        Syntax = $syntax; SyntaxText = $syntaxText; SetCount = $sets.Count
        Entries = $entries; Inputs = $inputs; Outputs = $outputs; Links = $links
    }
}

# A cref names another cmdlet's class: the link is that cmdlet.
$cmdletNameOfType = @{}
foreach ($command in $commands) { $cmdletNameOfType[$command.TypeId] = $command.Name }
foreach ($command in $commands) {
    foreach ($link in $command.Links) {
        if (-not $link.Cref) { continue }
        $target = $cmdletNameOfType[$link.Cref]
        if (-not $target) { $problems.Add("$($command.Name): <seealso cref=`"$($link.Cref)`"/> is not a cmdlet of this module."); continue }
        $link.Href = "docs/$target.md"
        if (-not $link.Text) { $link.Text = $target }
    }
    foreach ($link in $command.Links) {
        if ($link.Href -and -not $link.Text) { $problems.Add("$($command.Name): <seealso href=`"$($link.Href)`"> needs its text.") }
    }
}

if ($problems.Count -gt 0) {
    foreach ($problem in $problems) { [Console]::Error.WriteLine("New-MamlHelp: $problem") }
    [Console]::Error.WriteLine("New-MamlHelp: $($problems.Count) help problem(s) in $AssemblyPath; no help written.")
    exit 1
}

#endregion

#region write MAML

if ($OutputPath) {
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $directory = Split-Path -Parent ([System.IO.Path]::GetFullPath($OutputPath))
    $null = New-Item -ItemType Directory -Force -Path $directory
    $writer = [System.Xml.XmlWriter]::Create([System.IO.Path]::GetFullPath($OutputPath), $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $commands) {
            $writer.WriteStartElement('command', 'command', $CommandNs)
            $writer.WriteAttributeString('xmlns', 'maml', $null, $MamlNs)
            $writer.WriteAttributeString('xmlns', 'command', $null, $CommandNs)
            $writer.WriteAttributeString('xmlns', 'dev', $null, $DevNs)

            $writer.WriteStartElement('command', 'details', $CommandNs)
            $writer.WriteElementString('command', 'name', $CommandNs, $command.Name)
            $writer.WriteElementString('command', 'verb', $CommandNs, $command.Verb)
            $writer.WriteElementString('command', 'noun', $CommandNs, $command.Noun)
            Write-Description $writer $command.Synopsis
            $writer.WriteEndElement()

            Write-Description $writer $command.Description

            $writer.WriteStartElement('command', 'syntax', $CommandNs)
            foreach ($set in $command.Syntax) {
                $writer.WriteStartElement('command', 'syntaxItem', $CommandNs)
                $writer.WriteElementString('maml', 'name', $MamlNs, $command.Name)
                foreach ($p in $set.Parameters) {
                    $entry = $command.Entries | Where-Object { $_.Parameter.Name -eq $p.Name }
                    Write-Parameter -Writer $writer -Parameter $entry.Parameter -Required $p.IsMandatory -Position (Format-Position $p.Position) `
                        -PipelineInput (Get-PipelineInputText $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName) -InSyntax
                }
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'parameters', $CommandNs)
            foreach ($entry in $command.Entries) {
                Write-Parameter -Writer $writer -Parameter $entry.Parameter -Required $entry.Required -Position $entry.Position -PipelineInput $entry.PipelineInput
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'inputTypes', $CommandNs)
            if ($command.Inputs) { foreach ($i in $command.Inputs) { Write-TypeEntry $writer 'inputType' $i.Type $i.Description } }
            else { Write-TypeEntry $writer 'inputType' 'None' @('You cannot pipe objects to this cmdlet.') }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'returnValues', $CommandNs)
            foreach ($o in $command.Outputs) { Write-TypeEntry $writer 'returnValue' $o.Type $o.Description }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'examples', $CommandNs)
            for ($i = 0; $i -lt $command.Examples.Count; $i++) {
                $example = $command.Examples[$i]
                $writer.WriteStartElement('command', 'example', $CommandNs)
                $writer.WriteElementString('maml', 'title', $MamlNs, "-------------------------- Example $($i + 1) --------------------------")
                $writer.WriteElementString('dev', 'code', $DevNs, $example.Code)
                $writer.WriteStartElement('dev', 'remarks', $DevNs)
                Write-Para $writer (@($example.Remarks) + '')
                $writer.WriteEndElement()
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'relatedLinks', $CommandNs)
            foreach ($link in $command.Links) {
                $writer.WriteStartElement('maml', 'navigationLink', $MamlNs)
                # A page of docs/ is in the module's folder too; another cmdlet is found by its name.
                if ($link.Cref) {
                    $writer.WriteElementString('maml', 'linkText', $MamlNs, $link.Text)
                    $writer.WriteElementString('maml', 'uri', $MamlNs, '')
                }
                else {
                    $writer.WriteElementString('maml', 'linkText', $MamlNs, "$($link.Text):")
                    $writer.WriteElementString('maml', 'uri', $MamlNs, $link.Href)
                }
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
    Write-Host "Help for $(@($commands).Count) cmdlet(s): $OutputPath"
}

#endregion


#region write markdown

# A paragraph as markdown lines, wrapped at 110 columns; a list item's lines after the first are indented under it.
function Format-MarkdownParagraph([string] $Paragraph) {
    if ($Paragraph.Contains("`n")) { return @('```', $Paragraph, '```') }
    $indent = if ($Paragraph.StartsWith('- ')) { '  ' } else { '' }
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    foreach ($word in $Paragraph.Split(' ')) {
        if ($line -and ($line.Length + 1 + $word.Length) -gt 110) { $lines.Add($line); $line = $indent + $word }
        elseif ($line) { $line += ' ' + $word }
        else { $line = $word }
    }
    if ($line) { $lines.Add($line) }
    $lines.ToArray()
}

function Add-MarkdownParagraphs([System.Collections.Generic.List[string]] $Lines, [string[]] $Paragraph) {
    foreach ($p in $Paragraph) {
        foreach ($l in Format-MarkdownParagraph $p) { $Lines.Add($l) }
        $Lines.Add('')
    }
}

# A syntax line wrapped as platyPS wraps it: at 110 columns, between parameters, continuing with one space.
function Format-MarkdownSyntax([string] $Text) {
    $tokens = [System.Collections.Generic.List[string]]::new()
    $depth = 0; $start = 0
    for ($i = 0; $i -lt $Text.Length; $i++) {
        $c = $Text[$i]
        if ($c -eq '[') { $depth++ } elseif ($c -eq ']') { $depth-- }
        elseif ($c -eq ' ' -and $depth -eq 0 -and $i + 1 -lt $Text.Length -and $Text[$i + 1] -in '[', '-') {
            $tokens.Add($Text.Substring($start, $i - $start)); $start = $i + 1
        }
    }
    $tokens.Add($Text.Substring($start))
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    foreach ($token in $tokens) {
        if ($line -and ($line.Length + 1 + $token.Length) -gt 110) { $lines.Add($line); $line = " $token" }
        elseif ($line) { $line += " $token" }
        else { $line = $token }
    }
    $lines.Add($line)
    $lines.ToArray()
}

# A link of RELATED LINKS, relative to docs/ where the page is written.
function Get-MarkdownHref([string] $Href) {
    if ($Href -match '^[a-z]+://') { return $Href }
    $Href -replace '^docs/', ''
}

function Get-CommandMarkdown([pscustomobject] $Command) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.AddRange([string[]]@(
            '---'
            'external help file: FlannelTools.dll-Help.xml'
            'Module Name: FlannelTools'
            'online version:'
            'schema: 2.0.0'
            '---'
            ''
            "# $($Command.Name)"
            ''
            '## SYNOPSIS'
            ''))
    Add-MarkdownParagraphs $lines $Command.Synopsis

    $lines.Add('## SYNTAX'); $lines.Add('')
    foreach ($set in $Command.SyntaxText) {
        $lines.Add("### $($set.Name)$(if ($set.IsDefault -and $Command.SetCount -gt 1) { ' (Default)' })"); $lines.Add('')
        $lines.Add('```')
        $lines.AddRange([string[]](Format-MarkdownSyntax $set.Text))
        $lines.Add('```'); $lines.Add('')
    }

    $lines.Add('## DESCRIPTION'); $lines.Add('')
    Add-MarkdownParagraphs $lines $Command.Description

    $lines.Add('## EXAMPLES'); $lines.Add('')
    for ($i = 0; $i -lt $Command.Examples.Count; $i++) {
        $example = $Command.Examples[$i]
        $lines.Add("### Example $($i + 1)"); $lines.Add('')
        Add-MarkdownParagraphs $lines $example.Remarks
        $lines.Add('```powershell')
        $lines.AddRange([string[]]@($example.Code -split "`n"))
        $lines.Add('```'); $lines.Add('')
    }

    $lines.Add('## PARAMETERS'); $lines.Add('')
    $allSets = @($Command.SyntaxText.Name)
    foreach ($entry in $Command.Entries | Sort-Object { $_.Parameter.Name }) {
        $parameter = $entry.Parameter
        $lines.Add("### -$($parameter.Name)"); $lines.Add('')
        Add-MarkdownParagraphs $lines $parameter.Description
        # One block for each way the parameter binds: a parameter mandatory in one set and optional in another has two.
        $ways = @($entry.PerSet | Group-Object Required, Position, PipelineInput)
        if (-not $ways) { $ways = @([pscustomobject]@{ Group = @([pscustomobject]@{ Set = '(All)'; Required = $entry.Required; Position = $entry.Position; PipelineInput = $entry.PipelineInput }) }) }
        foreach ($way in $ways) {
            $setNames = @($way.Group.Set)
            $first = $way.Group[0]
            $isSwitch = $parameter.Type -eq [System.Management.Automation.SwitchParameter]
            $lines.Add('```yaml')
            $lines.Add("Type: $(Get-TypeDisplayName $parameter.Type -Full)")
            $lines.Add("Parameter Sets: $(if ($ways.Count -eq 1 -and $setNames.Count -eq $allSets.Count) { '(All)' } else { $setNames -join ', ' })")
            $lines.Add("Aliases: $($parameter.Aliases -join ', ')".TrimEnd())
            if ($parameter.AcceptedValues) { $lines.Add("Accepted values: $($parameter.AcceptedValues -join ', ')") }
            $lines.Add('')
            $lines.Add("Required: $($first.Required)")
            $lines.Add("Position: $((Get-Culture).TextInfo.ToTitleCase($first.Position))")
            $lines.Add("Default value: $(if ($isSwitch) { 'False' } else { 'None' })")
            $lines.Add("Accept pipeline input: $($first.PipelineInput)")
            $lines.Add("Accept wildcard characters: $($parameter.Globbing)")
            $lines.Add('```'); $lines.Add('')
        }
    }
    $lines.Add('### CommonParameters'); $lines.Add('')
    $lines.Add('This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction,')
    $lines.Add('-InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and')
    $lines.Add('-WarningVariable. For more information, see')
    $lines.Add('[about_CommonParameters](https://go.microsoft.com/fwlink/?LinkID=113216).')
    $lines.Add('')

    $lines.Add('## INPUTS'); $lines.Add('')
    if ($Command.Inputs) {
        foreach ($i in $Command.Inputs) { $lines.Add("### $($i.Type)"); $lines.Add(''); Add-MarkdownParagraphs $lines $i.Description }
    }
    else { $lines.Add('### None'); $lines.Add(''); $lines.Add('You cannot pipe objects to this cmdlet.'); $lines.Add('') }

    $lines.Add('## OUTPUTS'); $lines.Add('')
    foreach ($o in $Command.Outputs) { $lines.Add("### $($o.Type)"); $lines.Add(''); Add-MarkdownParagraphs $lines @($o.Description | Where-Object { $_ }) }

    $lines.Add('## NOTES'); $lines.Add('')
    $lines.Add("Made by tools/New-MamlHelp.ps1 from the doc comments of $($Command.TypeId -replace '^T:', '') (the same source as")
    $lines.Add('Get-Help); change those, not this page.')
    $lines.Add('')

    $lines.Add('## RELATED LINKS')
    foreach ($link in $Command.Links) { $lines.Add(''); $lines.Add("[$($link.Text)]($(Get-MarkdownHref $link.Href))") }
    ($lines -join "`n") + "`n"
}

if ($MarkdownPath) {
    $folder = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($MarkdownPath)
    $null = New-Item -ItemType Directory -Force -Path $folder
    $utf8 = [System.Text.UTF8Encoding]::new($false)
    foreach ($command in $commands) {
        $file = Join-Path $folder "$($command.Name).md"
        [System.IO.File]::WriteAllText($file, (Get-CommandMarkdown $command), $utf8)
    }
    Write-Host "Markdown for $(@($commands).Count) cmdlet(s): $MarkdownPath"
}

#endregion
