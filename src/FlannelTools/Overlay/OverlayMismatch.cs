namespace FlannelTools
{
    /// <summary>
    /// A header field whose captured value differs from the predicted one, for the frames of a path's inner pair:
    /// <c>InnerDestinationMac ee:81:17:b0:fd:7b predicted, 5a:… in 12 frames</c>.
    /// </summary>
    public sealed class OverlayMismatch
    {
        /// <summary>The property name shared by OverlayPath and VxlanFrame.</summary>
        public string Field { get; internal set; }

        public string Predicted { get; internal set; }

        public string Observed { get; internal set; }

        /// <summary>How many frames of the pair carried the observed value.</summary>
        public int Frames { get; internal set; }

        /// <summary>The first of them, as the capture numbers frames.</summary>
        public long FirstFrameNumber { get; internal set; }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0}: predicted {1}, observed {2} in {3} frame(s) from frame {4}",
                Field, Predicted ?? "(none)", Observed ?? "(none)", Frames, FirstFrameNumber);
    }
}
