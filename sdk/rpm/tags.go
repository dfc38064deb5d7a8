package rpm

// Tag is an RPM header tag number.
type Tag int

// Header tags that strata reads. Numbers are from rpm's lib/rpmtag.h.
const (
	TagHeaderI18NTable Tag = 100

	TagName                 Tag = 1000
	TagVersion              Tag = 1001
	TagRelease              Tag = 1002
	TagEpoch                Tag = 1003
	TagSummary              Tag = 1004
	TagDescription          Tag = 1005
	TagBuildTime            Tag = 1006
	TagBuildHost            Tag = 1007
	TagSize                 Tag = 1009
	TagVendor               Tag = 1011
	TagLicense              Tag = 1014
	TagPackager             Tag = 1015
	TagGroup                Tag = 1016
	TagURL                  Tag = 1020
	TagOS                   Tag = 1021
	TagArch                 Tag = 1022
	TagPreIn                Tag = 1023
	TagPostIn               Tag = 1024
	TagPreUn                Tag = 1025
	TagPostUn               Tag = 1026
	TagOldFilenames         Tag = 1027
	TagFileSizes            Tag = 1028
	TagFileModes            Tag = 1030
	TagFileRDevs            Tag = 1033
	TagFileMTimes           Tag = 1034
	TagFileDigests          Tag = 1035
	TagFileLinkTos          Tag = 1036
	TagFileFlags            Tag = 1037
	TagFileUserName         Tag = 1039
	TagFileGroupName        Tag = 1040
	TagSourceRPM            Tag = 1044
	TagArchiveSize          Tag = 1046
	TagProvideName          Tag = 1047
	TagRequireFlags         Tag = 1048
	TagRequireName          Tag = 1049
	TagRequireVersion       Tag = 1050
	TagConflictFlags        Tag = 1053
	TagConflictName         Tag = 1054
	TagConflictVersion      Tag = 1055
	TagTriggerScripts       Tag = 1065
	TagTriggerName          Tag = 1066
	TagChangelogTime        Tag = 1080
	TagChangelogName        Tag = 1081
	TagChangelogText        Tag = 1082
	TagPreInProg            Tag = 1085
	TagPostInProg           Tag = 1086
	TagPreUnProg            Tag = 1087
	TagPostUnProg           Tag = 1088
	TagObsoleteName         Tag = 1090
	TagFileDevices          Tag = 1095
	TagFileInodes           Tag = 1096
	TagFileLangs            Tag = 1097
	TagSourcePackage        Tag = 1106
	TagProvideFlags         Tag = 1112
	TagProvideVersion       Tag = 1113
	TagObsoleteFlags        Tag = 1114
	TagObsoleteVersion      Tag = 1115
	TagDirIndexes           Tag = 1116
	TagBasenames            Tag = 1117
	TagDirNames             Tag = 1118
	TagPayloadFormat        Tag = 1124
	TagPayloadCompressor    Tag = 1125
	TagPayloadFlags         Tag = 1126
	TagPreTrans             Tag = 1151
	TagPostTrans            Tag = 1152
	TagPreTransProg         Tag = 1153
	TagPostTransProg        Tag = 1154
	TagLongFileSizes        Tag = 5008
	TagLongSize             Tag = 5009
	TagFileCaps             Tag = 5010
	TagFileDigestAlgo       Tag = 5011
	TagRecommendName        Tag = 5046
	TagRecommendVersion     Tag = 5047
	TagRecommendFlags       Tag = 5048
	TagSuggestName          Tag = 5049
	TagSuggestVersion       Tag = 5050
	TagSuggestFlags         Tag = 5051
	TagSupplementName       Tag = 5052
	TagSupplementVersion    Tag = 5053
	TagSupplementFlags      Tag = 5054
	TagEnhanceName          Tag = 5055
	TagEnhanceVersion       Tag = 5056
	TagEnhanceFlags         Tag = 5057
	TagFileTriggerName      Tag = 5069
	TagTransFileTriggerName Tag = 5079
	TagPayloadDigest        Tag = 5092
	TagPayloadDigestAlgo    Tag = 5093
)

// Signature header tags.
const (
	SigTagSize            Tag = 1000
	SigTagMD5             Tag = 1004
	SigTagPayloadSize     Tag = 1007
	SigTagSHA1            Tag = 269
	SigTagLongSize        Tag = 270
	SigTagLongArchiveSize Tag = 271
	SigTagSHA256          Tag = 273
	SigTagDSA             Tag = 267
	SigTagRSA             Tag = 268
	SigTagPGP             Tag = 1002
	SigTagGPG             Tag = 1005
)

// Type is the data type of a header entry.
type Type uint32

// Header entry types, from rpm's rpmTagType.
const (
	TypeNull        Type = 0
	TypeChar        Type = 1
	TypeInt8        Type = 2
	TypeInt16       Type = 3
	TypeInt32       Type = 4
	TypeInt64       Type = 5
	TypeString      Type = 6
	TypeBinary      Type = 7
	TypeStringArray Type = 8
	TypeI18NString  Type = 9
)

// size is the width of one element of a fixed-size type, or 0 for the
// string types, whose elements are NUL-terminated.
func (t Type) size() int {
	switch t {
	case TypeChar, TypeInt8, TypeBinary:
		return 1
	case TypeInt16:
		return 2
	case TypeInt32:
		return 4
	case TypeInt64:
		return 8
	}
	return 0
}

func (t Type) isString() bool {
	return t == TypeString || t == TypeStringArray || t == TypeI18NString
}
