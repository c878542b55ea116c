#Requires -Version 7.2
<#
.SYNOPSIS
    Writes the module's MAML help (what Get-Help reads) from the cmdlets' C# doc comments.
.DESCRIPTION
    Loads the built assembly, finds every public non-abstract type with [Cmdlet], and reads the compiler's XML
    documentation file:
      class <summary>              synopsis
      class <remarks>              description (<para> makes paragraphs)
      class <example>              one example each: <code> is the command, <para> (or text) says what it does
      parameter property <summary> the parameter's description
      output type <summary>        the description of what the cmdlet returns ([OutputType])
    Parameter sets, positions, pipeline binding, aliases and wildcards come from the compiled cmdlet, as
    PowerShell itself sees it. A cmdlet without a synopsis, description or example, or a parameter without a
    description, is an error: the script lists every one and exits 1, so the build fails.
    Runs in a process of its own (build.ps1 starts one), since it loads the assembly.
.EXAMPLE
    dotnet pwsh -NoProfile -File tools/New-MamlHelp.ps1 -AssemblyPath out/FlannelTools/FlannelTools.dll -DocumentationPath out/FlannelTools/FlannelTools.xml -OutputPath out/FlannelTools/en-US/FlannelTools.dll-Help.xml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $AssemblyPath,
    [Parameter(Mandatory)] [string] $DocumentationPath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

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
                'para' { foreach ($p in Get-DocParagraph $child) { $paragraphs.Add($p) } }
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
                [pscustomobject]@{ Code = $code; Remarks = @(Get-DocParagraph $remarkNode) }
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
        $parameters[$property.Name] = [pscustomobject]@{
            Name        = $property.Name
            Type        = $property.PropertyType
            Globbing    = $property.IsDefined([System.Management.Automation.SupportsWildcardsAttribute], $true)
            Aliases     = $aliases
            Description = $parameterDescription
        }
    }
    foreach ($optional in $commandInfo.Parameters.Keys) {
        if ($OptionalCommonDescriptions.Contains($optional) -and -not $parameters.Contains($optional)) {
            $parameters[$optional] = [pscustomobject]@{
                Name = $optional; Type = [System.Management.Automation.SwitchParameter]; Globbing = $false
                Aliases = @($commandInfo.Parameters[$optional].Aliases); Description = @($OptionalCommonDescriptions[$optional])
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
        $positions = @($inSets | ForEach-Object { Format-Position $_.Position } | Select-Object -Unique)
        [pscustomobject]@{
            Parameter     = $parameter
            Required      = $inSets.Count -gt 0 -and -not ($inSets | Where-Object { -not $_.IsMandatory })
            Position      = $(if ($positions.Count -eq 1) { $positions[0] } elseif ($positions) { ($positions | Where-Object { $_ -ne 'named' } | Select-Object -First 1) } else { 'named' })
            PipelineInput = Get-PipelineInputText ([bool]($inSets | Where-Object ValueFromPipeline)) ([bool]($inSets | Where-Object ValueFromPipelineByPropertyName))
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

    [pscustomobject]@{
        Name = $name; Verb = $attribute.VerbName; Noun = $attribute.NounName
        Synopsis = $synopsis; Description = $description; Examples = $examples
        Syntax = $syntax; Entries = $entries; Inputs = $inputs; Outputs = $outputs
    }
}

if ($problems.Count -gt 0) {
    foreach ($problem in $problems) { [Console]::Error.WriteLine("New-MamlHelp: $problem") }
    [Console]::Error.WriteLine("New-MamlHelp: $($problems.Count) help problem(s) in $AssemblyPath; no help written.")
    exit 1
}

#endregion

#region write

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

#endregion
